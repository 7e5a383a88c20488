import type { AttemptStatus } from './attempt-status.js';
import type { FiscalStatus, OrderStatus, PaymentStatus, ReviewStatus } from './order-status.js';
import type { OrderDeliveryStatus } from './delivery.js';
import { multiplyMinor, sumMinor } from './money.js';
import type { OrderLine } from './order-line.js';
import { fail, ok, type Result } from './result.js';

// Order lines are their own module so that delivery, refunds and adjustments can use them
// without importing the order (which imports their status tracks).
export { sumBySku, type OrderLine } from './order-line.js';

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
  /** The customer's language (BCP 47, as the store gave it) for Settle's customer pages; null: the browser's. */
  locale: string | null;
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

/**
 * Where the customer goes next: a link to follow, or a form to post (Idram), which a page renders
 * as a form that submits itself, with a button for browsers without script.
 */
export type NextStep =
  { type: 'redirect'; url: string } | { type: 'form_post'; url: string; fields: Record<string, string> };

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
  /** The provider's own id for the payment when it assigns one (BPC mdOrder, Ameria PaymentID). */
  providerPaymentId: string | null;
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
