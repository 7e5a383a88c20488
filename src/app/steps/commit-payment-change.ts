import { defined, type PaymentChange } from '../../domain/payment-change.js';
import type { StorageTx } from '../../ports/storage.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { AppDeps } from '../deps.js';
import { openTasks } from '../open-tasks.js';
import type { LockedPayment } from './lock-payment.js';
import { recordPlanned } from './queue-effects.js';
import { recordSurplusRefund } from './surplus-refund.js';
import { attemptReader } from './webhook-payload.js';

/**
 * Writes a decided payment change in the transaction that locked its order: the attempt, the
 * order (with the fiscal follow-up's status), the pay-by-link, the timeline, the receipts and
 * outbox messages the events set off with their follow-up events, the tasks, and the automatic
 * refund of a surplus payment as requested (sent after the commit). Stamps ids and times; decides
 * nothing.
 */
export async function commitPaymentChange(
  deps: AppDeps,
  tx: StorageTx,
  locked: LockedPayment,
  change: PaymentChange<WebhookEndpointRecord>,
  at: string,
): Promise<void> {
  const { attempt } = locked;
  const fiscalStatus = change.effects.fiscalStatus;
  if (change.attempt) await tx.updateAttempt(attempt.id, { ...change.attempt, updatedAt: at });
  if (change.order || fiscalStatus) {
    await tx.updateOrder(locked.order.id, { ...change.order, ...(fiscalStatus && { fiscalStatus }), updatedAt: at });
  }
  if (change.link) await tx.updatePaymentLink(change.link.id, { ...change.link.patch, updatedAt: at });
  // The order and attempt as just written, which the webhooks carry; the fiscal status moves after them.
  const order = change.order ? { ...locked.order, ...defined(change.order), updatedAt: at } : locked.order;
  const now = change.attempt ? { ...attempt, ...defined(change.attempt), updatedAt: at } : attempt;
  await recordPlanned(deps, tx, { order, attemptOf: attemptReader(tx, [now]), at }, change.events, change.effects);
  await openTasks(deps, tx, change.tasks, at);
  if (change.refund) await recordSurplusRefund(deps, tx, order, change.refund, at);
}
