import { effectsOf } from '../domain/effects.js';
import { planEffects, setsOffAnything, type EffectSettings } from '../domain/effect-plan.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { Refund } from '../domain/refund.js';
import type { WebhookEndpointRecord } from '../domain/webhook-endpoint.js';
import type { NewOrderEvent, OrderEvent } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import type { AppDeps } from './deps.js';
import { appendTimeline } from './steps/append-timeline.js';
import { effectSettings, recordPlanned } from './steps/queue-effects.js';
import { attemptReader, type AttemptReader } from './steps/webhook-payload.js';

/**
 * Appends events to the order's timeline and, in the same transaction, queues what they set off
 * outside the database (planEffects): webhooks to every subscribed endpoint, e-mails, fiscal
 * receipts with the fiscal track's follow-up. Call it after the order's own changes are written,
 * under the order's lock: the webhooks carry the order as it is now. Returns the appended events.
 */
export async function recordEvents(
  deps: AppDeps,
  tx: StorageTx,
  orderId: string,
  at: string,
  events: readonly NewOrderEvent[],
  /**
   * The order (and attempts) exactly as the caller has just written them, to save reading them
   * back; and the effect settings when the caller read them already (effectSettings).
   */
  now?: { order: Order; attempts?: readonly PaymentAttempt[]; effects?: EffectSettings<WebhookEndpointRecord> },
): Promise<OrderEvent[]> {
  if (!setsOffAnything(events)) return appendTimeline(deps, tx, orderId, at, events);

  const order = now?.order.id === orderId ? now.order : await tx.getOrder(orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  const settings = now?.effects ?? (await effectSettings(deps, tx));
  // The events of one change (payment.succeeded, order.status_changed, …) often name the same
  // attempt, which nothing here changes: read each one once, not once per event.
  const attemptOf = attemptReader(tx, now?.attempts);
  const records = settings.fiscal ? await receiptRecords(tx, attemptOf, events) : { attempts: [], refunds: [] };
  const plan = planEffects(events, order, settings, records);
  if (plan.fiscalStatus) await tx.updateOrder(orderId, { fiscalStatus: plan.fiscalStatus, updatedAt: at });
  return recordPlanned(deps, tx, { order, attemptOf, at }, events, plan);
}

/** The attempts and refunds the events' receipts are for, read inside the transaction. */
async function receiptRecords(
  tx: StorageTx,
  attemptOf: AttemptReader,
  events: readonly NewOrderEvent[],
): Promise<{ attempts: PaymentAttempt[]; refunds: Refund[] }> {
  const attempts: PaymentAttempt[] = [];
  const refunds: Refund[] = [];
  for (const e of events) {
    const receipt = effectsOf(e).receipt;
    if (receipt === 'sale' && e.attemptId) {
      const a = await attemptOf(e.attemptId);
      if (a) attempts.push(a);
    }
    const refundId = e.data?.refund_id;
    if (receipt === 'refund' && typeof refundId === 'string') {
      const r = await tx.getRefund(refundId);
      if (r) refunds.push(r);
    }
  }
  return { attempts, refunds };
}
