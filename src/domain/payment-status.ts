import type { Chargeback } from './chargeback.js';
import type { PaymentStatus } from './order-status.js';
import type { PaymentAttempt } from './order.js';
import type { Refund } from './refund.js';

/**
 * The order's payment status from its attempts, refunds and chargebacks: a disputed payment is
 * charged_back until the dispute is won; refunds count once they succeeded. The surplus part of a
 * refund (Refund.surplusAmount: money paid beyond what the order costs, given back automatically
 * or by a person) is no refund of the order: it is taken off what was paid, so a double payment
 * whose surplus went back leaves the order paid.
 */
export function derivePaymentStatus(
  attempts: readonly Pick<PaymentAttempt, 'status' | 'amount'>[],
  refunds: readonly Pick<Refund, 'status' | 'amount' | 'surplusAmount'>[] = [],
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
  const returnedSurplus = succeeded.reduce((s, r) => s + r.surplusAmount, 0);
  const refunded = succeeded.reduce((s, r) => s + r.amount, 0) - returnedSurplus;
  const kept = paid - returnedSurplus;
  if (refunded >= kept) return 'refunded';
  return refunded > 0 ? 'partially_refunded' : 'paid';
}
