import { ORDER_DELIVERY_STATUSES } from '../domain/delivery.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../domain/order-status.js';
import { FISCAL_STATUSES } from '../domain/receipt.js';
import { REVIEW_STATUSES } from '../domain/review.js';
import { dateTime, int, nullable, optionalFields, str, type Wire } from './fields.js';
import { attemptView, paymentSchema } from './payment.js';

/** The order as the store sees it: every status track and its payments. */
export const orderSchema = {
  type: 'object',
  properties: {
    id: str,
    reference: str,
    currency: str,
    amount: { type: 'integer', description: 'Current confirmed amount, minor units' },
    original_amount: int,
    shipping_amount: int,
    lines: {
      type: 'array',
      items: { type: 'object', properties: { sku: str, name: str, quantity: int, unit_amount: int } },
    },
    customer: optionalFields({ type: 'object', properties: { email: str, phone: str, name: str, ip: str } }),
    return_url: nullable(str),
    locale: nullable({ ...str, description: "The customer's language for Settle's customer pages (BCP 47)" }),
    metadata: { type: 'object', additionalProperties: str },
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    review_status: { type: 'string', enum: [...REVIEW_STATUSES] },
    fiscal_status: { type: 'string', enum: [...FISCAL_STATUSES] },
    delivery_status: { type: 'string', enum: [...ORDER_DELIVERY_STATUSES] },
    payments: { type: 'array', items: paymentSchema },
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type OrderView = Wire<typeof orderSchema>;

export function orderView(o: Order, attempts: readonly PaymentAttempt[]): OrderView {
  return {
    id: o.id,
    reference: o.reference,
    currency: o.currency,
    amount: o.amount,
    original_amount: o.originalAmount,
    shipping_amount: o.shippingAmount,
    lines: o.lines,
    customer: o.customer,
    return_url: o.returnUrl,
    locale: o.locale,
    metadata: o.metadata,
    status: o.status,
    payment_status: o.paymentStatus,
    review_status: o.reviewStatus,
    fiscal_status: o.fiscalStatus,
    delivery_status: o.deliveryStatus,
    payments: attempts.map(attemptView),
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

/** The answer to creating an order: the only one that carries the customer's order key. */
export const createdOrderSchema = {
  type: 'object',
  properties: {
    ...orderSchema.properties,
    order_key: {
      type: 'string',
      description: "The customer's key to this one order (GET /v1/public/orders/{order_key})",
    },
  },
} as const;

export type CreatedOrderView = Wire<typeof createdOrderSchema>;

export function createdOrderView(o: Order, attempts: readonly PaymentAttempt[], orderKey: string): CreatedOrderView {
  return { ...orderView(o, attempts), order_key: orderKey };
}

export const orderListSchema = {
  type: 'object',
  properties: { data: { type: 'array', items: orderSchema }, next_cursor: nullable(str) },
} as const;

export type OrderListView = Wire<typeof orderListSchema>;

/** One page of orders, each with its payments (missing from `attempts`: none). */
export function orderListView(
  orders: readonly Order[],
  attempts: ReadonlyMap<string, readonly PaymentAttempt[]>,
  nextCursor: string | null,
): OrderListView {
  return { data: orders.map((o) => orderView(o, attempts.get(o.id) ?? [])), next_cursor: nextCursor };
}
