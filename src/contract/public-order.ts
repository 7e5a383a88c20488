import type { Order, PaymentAttempt } from '../domain/order.js';
import { int, str, type Wire } from './fields.js';

/** What a customer holding the order key may see: no contact data, no metadata, no provider details. */
export const publicOrderSchema = {
  type: 'object',
  properties: {
    reference: str,
    currency: str,
    amount: int,
    lines: {
      type: 'array',
      items: { type: 'object', properties: { name: str, quantity: int, unit_amount: int } },
    },
    shipping_amount: int,
    status: str,
    payment_status: str,
    payments: {
      type: 'array',
      items: { type: 'object', properties: { status: str, amount: int, currency: str, created_at: str } },
    },
    created_at: str,
  },
} as const;

export type PublicOrderView = Wire<typeof publicOrderSchema>;

export function publicOrderView(o: Order, attempts: readonly PaymentAttempt[]): PublicOrderView {
  return {
    reference: o.reference,
    currency: o.currency,
    amount: o.amount,
    lines: o.lines.map((l) => ({ name: l.name, quantity: l.quantity, unit_amount: l.unit_amount })),
    shipping_amount: o.shippingAmount,
    status: o.status,
    payment_status: o.paymentStatus,
    payments: attempts.map((a) => ({
      status: a.status,
      amount: a.amount,
      currency: a.currency,
      created_at: a.createdAt,
    })),
    created_at: o.createdAt,
  };
}
