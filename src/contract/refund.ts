import { REFUND_STATUSES, type Refund } from '../domain/refund.js';
import { dateTime, int, nullable, skuQuantity, str, type Wire } from './fields.js';

export const refundSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    payment_id: str,
    amount: int,
    surplus_amount: {
      ...int,
      description:
        'Of amount (minor units), what gave back money paid beyond the order amount (a double payment), fixed when the refund was made. It counts in the order refunded_amount but is no refund of the order: it never makes it partially_refunded or refunded',
    },
    currency: str,
    reason: str,
    lines: { type: 'array', items: skuQuantity },
    actor: str,
    status: {
      type: 'string',
      enum: [...REFUND_STATUSES],
      description: 'manual: the acquirer has no refund call; pay it out by hand, then confirm it',
    },
    provider_ref: nullable(str),
    error: nullable(str),
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type RefundView = Wire<typeof refundSchema>;

export function refundView(r: Refund): RefundView {
  return {
    id: r.id,
    order_id: r.orderId,
    payment_id: r.attemptId,
    amount: r.amount,
    surplus_amount: r.surplusAmount,
    currency: r.currency,
    reason: r.reason,
    lines: r.lines,
    actor: r.actor,
    status: r.status,
    provider_ref: r.providerRef,
    error: r.error,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
