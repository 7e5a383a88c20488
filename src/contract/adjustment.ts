import { ADJUSTMENT_KINDS, type Adjustment } from '../domain/adjustment.js';
import type { PaymentLink } from '../domain/payment-link.js';
import type { Refund } from '../domain/refund.js';
import { dateTime, int, nullable, skuQuantity, str, type Wire } from './fields.js';
import { issuedLinkSchema, issuedLinkView } from './payment-link.js';
import { refundSchema, refundView } from './refund.js';

/** A change of the order's confirmed amount. */
export const adjustmentSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    kind: { type: 'string', enum: [...ADJUSTMENT_KINDS] },
    lines: { type: 'array', items: skuQuantity },
    amount_delta: int,
    amount_before: int,
    amount_after: int,
    reason: str,
    actor: str,
    refund_id: nullable(str),
    created_at: dateTime,
  },
} as const;

export type AdjustmentView = Wire<typeof adjustmentSchema>;

export function adjustmentView(a: Adjustment): AdjustmentView {
  return {
    id: a.id,
    order_id: a.orderId,
    kind: a.kind,
    lines: a.lines,
    amount_delta: a.amountDelta,
    amount_before: a.amountBefore,
    amount_after: a.amountAfter,
    reason: a.reason,
    actor: a.actor,
    refund_id: a.refundId,
    created_at: a.createdAt,
  };
}

/** An adjustment with how it was settled: a partial refund, or a payment link for the shortfall. */
export const adjustmentResultSchema = {
  type: 'object',
  properties: {
    adjustment: adjustmentSchema,
    refund: nullable(refundSchema),
    payment_link: nullable(issuedLinkSchema),
  },
} as const;

export type AdjustmentResultView = Wire<typeof adjustmentResultSchema>;

export function adjustmentResultView(
  r: { adjustment: Adjustment; refund: Refund | null; paymentLink: { link: PaymentLink; url: string } | null },
  now: string,
): AdjustmentResultView {
  return {
    adjustment: adjustmentView(r.adjustment),
    refund: r.refund && refundView(r.refund),
    payment_link: r.paymentLink && issuedLinkView(r.paymentLink, now),
  };
}
