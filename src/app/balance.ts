import type { Order, PaymentAttempt } from '../domain/order.js';
import { derivePaymentStatus } from '../domain/payment-status.js';
import type { PaymentStatus } from '../domain/order-status.js';
import { outstandingOf } from '../domain/payment-link.js';
import type { StorageReads } from '../ports/storage.js';

/** What the order still owes now (negative: paid beyond its amount), from its payments, refunds and adjustments. */
export async function outstandingNow(
  reads: StorageReads,
  order: Pick<Order, 'id' | 'amount'>,
  attempts?: readonly PaymentAttempt[],
): Promise<number> {
  const paid = attempts ?? (await reads.listAttempts(order.id));
  return outstandingOf(order.amount, paid, await reads.listRefunds(order.id), await reads.listAdjustments(order.id));
}

/**
 * Whether a refund that counts toward what the order owes still waits for the provider: one made
 * by an adjustment, or one giving back a double payment's surplus. Both count as gone while they
 * wait (outstandingOf), so until they settle what is owed is not known: a link opened for a rise
 * meanwhile would overpay should the refund fail.
 */
export async function owedRefundInFlight(reads: StorageReads, orderId: string): Promise<boolean> {
  const fromAdjustments = new Set((await reads.listAdjustments(orderId)).map((a) => a.refundId));
  return (await reads.listRefunds(orderId)).some(
    (r) => (r.status === 'requested' || r.status === 'pending') && (fromAdjustments.has(r.id) || r.surplusAmount > 0),
  );
}

/**
 * The order's payment status from everything that moves its money: payments, refunds and
 * chargebacks. Derived from all three, so adding a payment attempt to a partly refunded order
 * cannot turn it back into "paid".
 */
export async function paymentStatusNow(
  reads: StorageReads,
  orderId: string,
  attempts?: readonly PaymentAttempt[],
): Promise<PaymentStatus> {
  return derivePaymentStatus(
    attempts ?? (await reads.listAttempts(orderId)),
    await reads.listRefunds(orderId),
    await reads.listChargebacks(orderId),
  );
}
