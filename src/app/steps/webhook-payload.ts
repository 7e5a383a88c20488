import type { WebhookEventType } from '../../domain/effects.js';
import type { Order } from '../../domain/order.js';
import { storeStatusOf } from '../../domain/store-status.js';
import type { OrderEvent } from '../../domain/timeline.js';
import type { StorageTx, WebhookEndpointRecord } from '../../ports/storage.js';
import { attemptView, chargebackView, receiptView, refundView } from '../views.js';

/** Reads an attempt inside the transaction; the effects of one change read each attempt once. */
export type AttemptReader = (id: string) => ReturnType<StorageTx['getAttempt']>;

/** An AttemptReader that knows `known` (as just written) and reads any other attempt once. */
export function attemptReader(tx: StorageTx, known: readonly Awaited<ReturnType<AttemptReader>>[] = []): AttemptReader {
  const attempts = new Map<string, ReturnType<AttemptReader>>(
    known.flatMap((a) => (a ? [[a.id, Promise.resolve(a)] as const] : [])),
  );
  return (id) => {
    let a = attempts.get(id);
    if (!a) attempts.set(id, (a = tx.getAttempt(id)));
    return a;
  };
}

/** The webhook body: the event, the order as it is now, and the record the event is about. */
export async function webhookPayload(
  tx: StorageTx,
  attemptOf: AttemptReader,
  order: Order,
  event: OrderEvent,
  type: WebhookEventType,
): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = {
    order: {
      id: order.id,
      reference: order.reference,
      status: order.status,
      payment_status: order.paymentStatus,
      review_status: order.reviewStatus,
      fiscal_status: order.fiscalStatus,
      amount: order.amount,
      currency: order.currency,
      metadata: order.metadata,
      // The timeline position: a receiver that sees a lower one than it has is seeing an older event.
      version: event.seq,
    },
    summary: event.summary,
    actor: event.actor,
  };
  const ref = (k: string) => (typeof event.data?.[k] === 'string' ? (event.data[k] as string) : undefined);
  if (type === 'order.status_changed')
    Object.assign(data, { from: event.data?.from ?? null, to: event.data?.to ?? null });
  if (event.attemptId) {
    const a = await attemptOf(event.attemptId);
    if (a) data.payment = attemptView(a);
  }
  const refundId = ref('refund_id');
  const refund = refundId && (await tx.getRefund(refundId));
  if (refund) data.refund = refundView(refund);
  const chargebackId = ref('chargeback_id');
  const chargeback = chargebackId && (await tx.getChargeback(chargebackId));
  if (chargeback) data.chargeback = chargebackView(chargeback);
  const receiptId = ref('receipt_id');
  const receipt = receiptId && (await tx.getReceipt(receiptId));
  if (receipt) data.receipt = receiptView(receipt);
  return { type, timestamp: event.at, data };
}

/** The payload as one endpoint receives it: with the order's status in that store's own codes. */
export function withStoreStatus(
  payload: Record<string, unknown>,
  ep: WebhookEndpointRecord,
  order: Order,
): Record<string, unknown> {
  const data = payload.data as { order: Record<string, unknown> };
  return { ...payload, data: { ...data, order: { ...data.order, store_status: storeStatusOf(ep.statusMap, order) } } };
}
