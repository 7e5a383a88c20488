import type { Chargeback } from './chargeback.js';
import { formatDecimal } from './money.js';
import { sumBySku } from './order-line.js';
import type { Order, PaymentAttempt } from './order.js';
import { fail, ok, type Result } from './result.js';

/**
 * requested: recorded, the provider not yet answered; pending: the provider accepted it and has
 * not finished it; succeeded / failed: its answer; manual: the provider has no refund call, so a
 * person pays it out by hand and then confirms it. Requested and pending hold their amount.
 */
export const REFUND_STATUSES = ['requested', 'pending', 'succeeded', 'failed', 'manual'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundLine {
  sku: string;
  quantity: number;
}

export interface Refund {
  id: string;
  orderId: string;
  attemptId: string;
  amount: number;
  currency: string;
  reason: string;
  lines: RefundLine[];
  actor: string;
  status: RefundStatus;
  /**
   * Of its amount, what gives back money the order never owed: paid beyond what it costs (a double
   * payment, a payment made out before the amount fell). Decided under the order's lock when the
   * refund is made (surplusPartOf) and never changed: what the order holds beyond its amount goes
   * back first, whichever payment it comes out of, by Settle or by a person. A later change of the
   * amount cannot turn it back into the order's money (and refund it again), nor a refund of the
   * order's money into surplus. A refund an adjustment made counts in full against what is owed;
   * its surplusAmount is what of it the order held beyond its amount before the adjustment.
   */
  surplusAmount: number;
  /** The provider's id for the refund, once it gave one. */
  providerRef: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The one id a surplus payment is ever refunded under automatically: derived from the payment, so
 * a repeat of the callback that revealed it finds it, and the provider dedupes a resend by it. The
 * id says nothing of what the refund gives back: its surplusAmount does.
 */
export function surplusRefundId(attemptId: string): string {
  return `rf_surplus_${attemptId}`;
}

/**
 * Pure: how much of a refund of `amount` gives back a surplus, given what the order owes before it
 * (outstandingOf; negative: paid beyond its amount). The surplus goes back first: a refund of a
 * double-paid order is the surplus as far as it reaches, only the rest is a refund of the order.
 */
export function surplusPartOf(amount: number, outstanding: number): number {
  return Math.max(0, Math.min(amount, -outstanding));
}

export interface RefundRequest {
  amount: number;
  paymentId?: string;
  lines?: RefundLine[];
}

/** What may still go back from one payment: what was paid less every refund not failed and every chargeback not won. */
export function refundableOf(
  attempt: PaymentAttempt,
  refunds: readonly Refund[],
  chargebacks: readonly Chargeback[],
): number {
  if (attempt.status !== 'succeeded') return 0;
  const refunded = refunds
    .filter((r) => r.attemptId === attempt.id && r.status !== 'failed')
    .reduce((s, r) => s + r.amount, 0);
  const disputed = chargebacks
    .filter((c) => c.attemptId === attempt.id && c.status !== 'won')
    .reduce((s, c) => s + c.amount, 0);
  return Math.max(0, attempt.amount - refunded - disputed);
}

/**
 * Pure: which payment a refund comes out of, or why it may not be made. A refund never exceeds
 * what is still refundable; without a payment_id the first paid payment that covers it is used.
 */
export function planRefund(
  order: Order,
  attempts: readonly PaymentAttempt[],
  refunds: readonly Refund[],
  chargebacks: readonly Chargeback[],
  req: RefundRequest,
): Result<PaymentAttempt> {
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0)
    return fail('amount_not_positive', 'A refund must be for more than zero.');
  const paid = attempts.filter((a) => a.status === 'succeeded');
  if (paid.length === 0) return fail('order_not_paid', `Order ${order.reference} has no verified payment to refund.`);
  for (const line of sumBySku(req.lines ?? [])) {
    const ordered = order.lines.find((l) => l.sku === line.sku);
    if (!ordered)
      return fail('refund_line_unknown', `Order ${order.reference} has no line ${line.sku}.`, { sku: line.sku });
    if (line.quantity > ordered.quantity) {
      return fail(
        'refund_line_quantity',
        `Line ${line.sku} was ordered ${ordered.quantity} times; ${line.quantity} cannot be refunded.`,
        { sku: line.sku },
      );
    }
  }
  const cur = order.currency;
  const total = paid.reduce((s, a) => s + refundableOf(a, refunds, chargebacks), 0);
  let attempt: PaymentAttempt | undefined;
  if (req.paymentId) {
    attempt = attempts.find((a) => a.id === req.paymentId);
    if (!attempt) return fail('payment_not_found', `Order ${order.reference} has no payment ${req.paymentId}.`);
    if (attempt.status !== 'succeeded')
      return fail('order_not_paid', `Payment ${attempt.providerRef} was not paid (${attempt.status}).`);
  } else {
    attempt = paid.find((a) => refundableOf(a, refunds, chargebacks) >= req.amount);
  }
  const refundable = attempt ? refundableOf(attempt, refunds, chargebacks) : total;
  if (!attempt || req.amount > refundable) {
    const split =
      !req.paymentId && req.amount <= total
        ? ' No single payment covers it: refund each payment separately (payment_id).'
        : '';
    return fail(
      'refund_exceeds_refundable',
      `${formatDecimal(req.amount, cur)} ${cur} is more than the ${formatDecimal(refundable, cur)} ${cur} still refundable.${split}`,
      { refundable },
    );
  }
  return ok(attempt);
}
