import type { Chargeback } from '../domain/chargeback.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/effects.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../domain/order-status.js';
import { FISCAL_STATUSES, type FiscalReceipt } from '../domain/receipt.js';
import type { Refund } from '../domain/refund.js';
import { REVIEW_STATUSES } from '../domain/review.js';
import type { OrderEvent } from '../domain/timeline.js';
import { chargebackSchema, chargebackView } from './chargeback.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';
import { attemptView, paymentSchema } from './payment.js';
import { receiptSchema, receiptView } from './receipt.js';
import { refundSchema, refundView } from './refund.js';

/** The order in a webhook: its statuses and amount, without contact data or lines. */
const webhookOrderSchema = {
  type: 'object',
  required: [
    'id',
    'reference',
    'status',
    'payment_status',
    'review_status',
    'fiscal_status',
    'amount',
    'currency',
    'metadata',
    'version',
  ],
  properties: {
    id: str,
    reference: str,
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    review_status: { type: 'string', enum: [...REVIEW_STATUSES] },
    fiscal_status: { type: 'string', enum: [...FISCAL_STATUSES] },
    amount: int,
    currency: str,
    metadata: { type: 'object', additionalProperties: str },
    version: {
      type: 'integer',
      description: 'The timeline position: a receiver that sees a lower one than it has is seeing an older event',
    },
    store_status: nullable({
      type: 'string',
      description: "The order's status in the store's own codes (the endpoint's status map); added per endpoint",
    }),
  },
} as const;

/** The body of every webhook: the event, the order as it is now, and the records the event names. */
export const webhookPayloadSchema = {
  type: 'object',
  required: ['type', 'timestamp', 'data'],
  properties: {
    type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    timestamp: dateTime,
    data: {
      type: 'object',
      required: ['order', 'summary', 'actor'],
      properties: {
        order: webhookOrderSchema,
        summary: str,
        actor: str,
        from: nullable({ type: 'string', description: 'order.status_changed only' }),
        to: nullable({ type: 'string', description: 'order.status_changed only' }),
        payment: paymentSchema,
        refund: refundSchema,
        chargeback: chargebackSchema,
        receipt: receiptSchema,
      },
    },
  },
} as const;

export type WebhookPayload = Wire<typeof webhookPayloadSchema>;

/** The records an event names (by its attempt and its data's refund_id, chargeback_id, receipt_id), as read. */
export interface WebhookRecords {
  payment?: PaymentAttempt | undefined;
  refund?: Refund | undefined;
  chargeback?: Chargeback | undefined;
  receipt?: FiscalReceipt | undefined;
}

/**
 * Pure: the webhook body for one event, before an endpoint's store status is added. The keys come
 * in a fixed order (receivers that check the signature see the same bytes for the same event).
 */
export function webhookPayload(
  type: WebhookEventType,
  order: Order,
  event: OrderEvent,
  records: WebhookRecords,
): WebhookPayload {
  const { payment, refund, chargeback, receipt } = records;
  const data: WebhookPayload['data'] = {
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
      version: event.seq,
    },
    summary: event.summary,
    actor: event.actor,
    // The event's data as it was recorded: the from and to statuses.
    ...(type === 'order.status_changed' && {
      from: (event.data?.from ?? null) as string | null,
      to: (event.data?.to ?? null) as string | null,
    }),
    ...(payment && { payment: attemptView(payment) }),
    ...(refund && { refund: refundView(refund) }),
    ...(chargeback && { chargeback: chargebackView(chargeback) }),
    ...(receipt && { receipt: receiptView(receipt) }),
  };
  return { type, timestamp: event.at, data };
}

/** The payload for one endpoint: its store status last in the order. */
export function withStoreStatus(payload: WebhookPayload, storeStatus: string | null): WebhookPayload {
  return { ...payload, data: { ...payload.data, order: { ...payload.data.order, store_status: storeStatus } } };
}
