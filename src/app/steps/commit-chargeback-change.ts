import type { Chargeback } from '../../domain/chargeback.js';
import type { ChargebackChange } from '../../domain/chargeback-notice.js';
import type { NewOrderEvent } from '../../domain/timeline.js';
import type { StorageTx, WebhookEndpointRecord } from '../../ports/storage.js';
import type { AppDeps } from '../deps.js';
import { openTasks } from '../open-tasks.js';
import type { LockedAttempt } from './lock-payment.js';
import { recordPlanned } from './queue-effects.js';
import { attemptReader } from './webhook-payload.js';

/**
 * Writes a decided dispute notice in the transaction that locked its order: the chargeback (a
 * new one gets its id here, and its events name it), the order's payment status, the timeline,
 * the webhooks the events set off and the task. Decides nothing.
 */
export async function commitChargebackChange(
  deps: AppDeps,
  tx: StorageTx,
  locked: LockedAttempt,
  change: ChargebackChange<WebhookEndpointRecord>,
  at: string,
): Promise<void> {
  let events: NewOrderEvent[] = [];
  if (change.opened) {
    const cb: Chargeback = { ...change.opened.chargeback, id: deps.random.id('cb'), createdAt: at, updatedAt: at };
    await tx.insertChargeback(cb);
    events = change.opened.events.map((e) => ({ ...e, data: { chargeback_id: cb.id, ...e.data } }));
  } else if (change.update) {
    const { id, patch } = change.update;
    if (Object.keys(patch).length > 0) await tx.updateChargeback(id, { ...patch, updatedAt: at });
    events = change.update.events;
  }
  const { paymentStatus } = change;
  if (paymentStatus) await tx.updateOrder(locked.order.id, { paymentStatus, updatedAt: at });
  const order = paymentStatus ? { ...locked.order, paymentStatus, updatedAt: at } : locked.order;
  const attemptOf = attemptReader(tx, [locked.attempt]);
  await recordPlanned(deps, tx, { order, attemptOf, at }, events, change.effects);
  await openTasks(deps, tx, change.tasks, at);
}
