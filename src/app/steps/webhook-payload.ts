import type { WebhookEventType } from '../../domain/effects.js';
import type { Order } from '../../domain/order.js';
import { storeStatusOf } from '../../domain/store-status.js';
import type { OrderEvent } from '../../domain/timeline.js';
import type { StorageTx } from '../../ports/storage.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import {
  webhookPayload as payloadOf,
  withStoreStatus as storeStatusPayload,
  type WebhookPayload,
} from '../../contract/webhook.js';

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

/** The webhook body (contract/webhook.ts): the event, the order as it is now, and the records the event names. */
export async function webhookPayload(
  tx: StorageTx,
  attemptOf: AttemptReader,
  order: Order,
  event: OrderEvent,
  type: WebhookEventType,
): Promise<WebhookPayload> {
  const ref = (k: string) => (typeof event.data?.[k] === 'string' ? (event.data[k] as string) : undefined);
  const [refundId, chargebackId, receiptId] = [ref('refund_id'), ref('chargeback_id'), ref('receipt_id')];
  return payloadOf(type, order, event, {
    payment: event.attemptId ? await attemptOf(event.attemptId) : undefined,
    refund: refundId ? await tx.getRefund(refundId) : undefined,
    chargeback: chargebackId ? await tx.getChargeback(chargebackId) : undefined,
    receipt: receiptId ? await tx.getReceipt(receiptId) : undefined,
  });
}

/** The payload as one endpoint receives it: with the order's status in that store's own codes. */
export function withStoreStatus(payload: WebhookPayload, ep: WebhookEndpointRecord, order: Order): WebhookPayload {
  return storeStatusPayload(payload, storeStatusOf(ep.statusMap, order));
}
