/** What the store sees. Transitions are data; `canMoveOrder` is the only check. */
export const ORDER_STATUSES = [
  'pending_payment',
  'payment_failed',
  'on_hold',
  'processing',
  'completed',
  'canceled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['payment_failed', 'on_hold', 'processing', 'canceled'],
  payment_failed: ['pending_payment', 'on_hold', 'processing', 'canceled'],
  on_hold: ['processing', 'canceled'],
  // canceled: a review rejected after approval refunds the payment and cancels the order.
  processing: ['on_hold', 'completed', 'canceled'],
  completed: [],
  // A payment that arrives after the store canceled is real money: a person must look.
  canceled: ['on_hold'],
};

export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Whether a new payment attempt may be started for an order in this status. */
export function acceptsNewAttempt(s: OrderStatus): boolean {
  return s === 'pending_payment' || s === 'payment_failed';
}

/** The order's payment status, derived from its attempts, refunds and chargebacks. */
export const PAYMENT_STATUSES = [
  'unpaid',
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'charged_back',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'pending payment',
  payment_failed: 'payment failed',
  on_hold: 'on hold',
  processing: 'processing',
  completed: 'completed',
  canceled: 'canceled',
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  unpaid: 'unpaid',
  pending: 'pending',
  paid: 'paid',
  partially_refunded: 'partially refunded',
  refunded: 'refunded',
  charged_back: 'charged back',
};

/** The order's review track (the antifraud rules, then a person). */
export const REVIEW_STATUSES = ['none', 'pending', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The order's fiscal track, derived from its receipts. */
export const FISCAL_STATUSES = ['not_required', 'pending', 'issued', 'failed'] as const;
export type FiscalStatus = (typeof FISCAL_STATUSES)[number];
