import type { FiscalStatus } from './order-status.js';
import type { Order, PaymentAttempt } from './order.js';
import type { Refund } from './refund.js';

export interface ReceiptItem {
  name: string;
  quantity: number;
  /** The line's total in minor units. */
  amount: number;
}

// The track's statuses live with the order's other tracks (order.ts needs them, not this file).
export { FISCAL_STATUSES, type FiscalStatus } from './order-status.js';

export const RECEIPT_STATUSES = ['pending', 'issued', 'failed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export interface FiscalReceipt {
  id: string;
  orderId: string;
  kind: 'sale' | 'refund';
  attemptId: string | null;
  refundId: string | null;
  amount: number;
  currency: string;
  items: ReceiptItem[];
  status: ReceiptStatus;
  providerRef: string | null;
  fiscalNumber: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The order's fiscal track from its receipts: a failure shows until a person deals with it. */
export function deriveFiscalStatus(receipts: readonly Pick<FiscalReceipt, 'status'>[]): FiscalStatus {
  if (receipts.length === 0) return 'not_required';
  if (receipts.some((r) => r.status === 'failed')) return 'failed';
  if (receipts.some((r) => r.status === 'pending')) return 'pending';
  return 'issued';
}

/** A sale receipt lists the order's lines when the payment covers the order, else one line for the payment. */
export function saleItems(order: Order, attempt: PaymentAttempt): ReceiptItem[] {
  const lines = order.lines.map((l) => ({ name: l.name, quantity: l.quantity, amount: l.unit_amount * l.quantity }));
  if (order.shippingAmount > 0) lines.push({ name: 'Shipping', quantity: 1, amount: order.shippingAmount });
  const total = lines.reduce((s, l) => s + l.amount, 0);
  if (lines.length > 0 && total === attempt.amount) return lines;
  return [{ name: `Payment for order ${order.reference}`, quantity: 1, amount: attempt.amount }];
}

/** A refund receipt lists the refunded lines when they add up to the refund, else one line. */
export function refundItems(order: Order, refund: Refund): ReceiptItem[] {
  const lines = refund.lines.flatMap((r) => {
    const l = order.lines.find((o) => o.sku === r.sku);
    return l ? [{ name: l.name, quantity: r.quantity, amount: l.unit_amount * r.quantity }] : [];
  });
  const total = lines.reduce((s, l) => s + l.amount, 0);
  if (lines.length > 0 && total === refund.amount) return lines;
  return [{ name: `Refund for order ${order.reference}`, quantity: 1, amount: refund.amount }];
}
