import type { Chargeback } from './chargeback.js';
import type { PaymentStatus } from './order-status.js';
import type { PaymentAttempt } from './order.js';
import type { Refund } from './refund.js';

/**
 * The order's payment status from its attempts, refunds and chargebacks: a disputed payment is
 * charged_back until the dispute is won; refunds count once they succeeded.
 */
export function derivePaymentStatus(
  attempts: readonly Pick<PaymentAttempt, 'status' | 'amount'>[],
  refunds: readonly Pick<Refund, 'status' | 'amount'>[] = [],
  chargebacks: readonly Pick<Chargeback, 'status'>[] = [],
): PaymentStatus {
  const paid = attempts.filter((a) => a.status === 'succeeded').reduce((s, a) => s + a.amount, 0);
  if (paid === 0) {
    return attempts.some((a) => a.status === 'created' || a.status === 'pending' || a.status === 'authorized')
      ? 'pending'
      : 'unpaid';
  }
  if (chargebacks.some((c) => c.status !== 'won')) return 'charged_back';
  const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
  if (refunded >= paid) return 'refunded';
  return refunded > 0 ? 'partially_refunded' : 'paid';
}
