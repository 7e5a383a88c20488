import type { AttemptStatus } from './attempt-status.js';
import type { OrderStatus, PaymentStatus } from './order-status.js';
import type { ReviewStatus } from './review.js';
import type { FiscalStatus } from './receipt.js';
import type { OrderDeliveryStatus } from './delivery.js';
import { multiplyMinor, sumMinor } from './money.js';
import { fail, ok, type Result } from './result.js';
import type { Refund } from './refund.js';
import type { Chargeback } from './chargeback.js';

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unit_amount: number;
}

export interface Customer {
  email?: string;
  phone?: string;
  name?: string;
  /** The buyer's IP as the store saw it, for the antifraud rules. */
  ip?: string;
}

export interface Order {
  id: string;
  reference: string;
  currency: string;
  originalAmount: number;
  amount: number;
  shippingAmount: number;
  lines: OrderLine[];
  customer: Customer;
  returnUrl: string | null;
  metadata: Record<string, string>;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  reviewStatus: ReviewStatus;
  fiscalStatus: FiscalStatus;
  deliveryStatus: OrderDeliveryStatus;
  /** Fingerprint of what the store sent, to tell a retry from a different order with the same reference. */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

export type VerifiedBy = 'signature' | 'status_check';

export type NextStep = { type: 'redirect'; url: string };

export interface PaymentAttempt {
  id: string;
  orderId: string;
  paymentMethodId: string;
  connector: string;
  amount: number;
  currency: string;
  /** The acquirer's id for this attempt (for acquiring-v1, the OrderID it was sent). */
  providerRef: string;
  nextStep: NextStep | null;
  status: AttemptStatus;
  verifiedBy: VerifiedBy | null;
  /** The provider's last status as it said it ("executed", "error#1234"). */
  providerStatus: string | null;
  errorCode: string | null;
  /** The pay-by-link it was started through, if any. */
  paymentLinkId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderDraft {
  reference: string;
  currency: string;
  amount?: number;
  lines?: OrderLine[];
  shipping_amount?: number;
}

/**
 * The amount an order is for: the sum of its lines and shipping when lines are given (and a
 * given amount must equal it), otherwise the given amount. Every figure is in minor units.
 */
export function orderAmount(d: OrderDraft): Result<number> {
  const shipping = d.shipping_amount ?? 0;
  let amount: number | undefined;
  if (d.lines && d.lines.length > 0) {
    const parts: number[] = [];
    for (const line of d.lines) {
      const p = multiplyMinor(line.unit_amount, line.quantity);
      if (p === undefined) return fail('amount_out_of_range', `Line ${line.sku} is too large to hold as an amount.`);
      parts.push(p);
    }
    parts.push(shipping);
    amount = sumMinor(parts);
    if (amount === undefined) return fail('amount_out_of_range', 'The order total is too large to hold as an amount.');
    if (d.amount !== undefined && d.amount !== amount) {
      return fail('amount_mismatch', `The amount ${d.amount} does not equal the lines plus shipping, ${amount}.`, {
        given: d.amount,
        computed: amount,
      });
    }
  } else {
    if (d.amount === undefined) return fail('amount_required', 'Give either an amount or lines.');
    amount = d.amount;
  }
  if (amount <= 0) return fail('amount_not_positive', 'An order must be for more than zero.');
  return ok(amount);
}

/** The store's order number is unique without regard to case. */
export function normalizeReference(reference: string): string {
  return reference.trim().toLowerCase();
}

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

/** Lines that name one sku more than once, added up: a limit per line holds for the sum. */
export function sumBySku<L extends { sku: string; quantity: number }>(
  lines: readonly L[],
): { sku: string; quantity: number }[] {
  const total = new Map<string, number>();
  for (const l of lines) total.set(l.sku, (total.get(l.sku) ?? 0) + l.quantity);
  return [...total].map(([sku, quantity]) => ({ sku, quantity }));
}
