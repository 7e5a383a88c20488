import type { Chargeback } from './chargeback.js';
import type { PaymentStatus } from './order-status.js';
import type { PaymentAttempt } from './order.js';
import { isSurplusRefund, type Refund } from './refund.js';

/**
 * The order's payment status from its attempts, refunds and chargebacks: a disputed payment is
 * charged_back until the dispute is won; refunds count once they succeeded. An automatic refund
 * of a surplus payment gives back money the order never owed: it is taken off what was paid and
 * is no refund of the order, so a double payment refunded that way leaves the order paid.
 */
export function derivePaymentStatus(
  attempts: readonly Pick<PaymentAttempt, 'status' | 'amount'>[],
  refunds: readonly (Pick<Refund, 'status' | 'amount'> & { id?: string })[] = [],
  chargebacks: readonly Pick<Chargeback, 'status'>[] = [],
): PaymentStatus {
  const paid = attempts.filter((a) => a.status === 'succeeded').reduce((s, a) => s + a.amount, 0);
  if (paid === 0) {
    return attempts.some((a) => a.status === 'created' || a.status === 'pending' || a.status === 'authorized')
      ? 'pending'
      : 'unpaid';
  }
  if (chargebacks.some((c) => c.status !== 'won')) return 'charged_back';
  const succeeded = refunds.filter((r) => r.status === 'succeeded');
  const surplus = succeeded.filter((r) => r.id !== undefined && isSurplusRefund({ id: r.id }));
  const returnedSurplus = surplus.reduce((s, r) => s + r.amount, 0);
  const refunded = succeeded.reduce((s, r) => s + r.amount, 0) - returnedSurplus;
  const kept = paid - returnedSurplus;
  if (refunded >= kept) return 'refunded';
  return refunded > 0 ? 'partially_refunded' : 'paid';
}
