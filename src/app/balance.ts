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

/** Whether a refund made by an adjustment still waits for the provider: until it settles, what is owed is not known. */
export async function adjustmentRefundInFlight(reads: StorageReads, orderId: string): Promise<boolean> {
  const fromAdjustments = new Set((await reads.listAdjustments(orderId)).map((a) => a.refundId));
  return (await reads.listRefunds(orderId)).some(
    (r) => (r.status === 'requested' || r.status === 'pending') && fromAdjustments.has(r.id),
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
