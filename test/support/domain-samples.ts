import type { Order, PaymentAttempt } from '../../src/domain/order.js';

// An order and a payment attempt as the domain rules see them, for unit tests of those rules.

export const at = '2026-11-23T10:00:00.000Z';
export const order = (over: Partial<Order> = {}): Order => ({
  id: 'ord_1',
  reference: 'fd-1240',
  currency: 'AMD',
  originalAmount: 150000,
  amount: 150000,
  shippingAmount: 0,
  lines: [],
  customer: { email: 'buyer@example.com' },
  returnUrl: null,
  locale: null,
  metadata: {},
  status: 'pending_payment',
  paymentStatus: 'pending',
  reviewStatus: 'none',
  fiscalStatus: 'not_required',
  deliveryStatus: 'not_started',
  contentHash: 'h',
  createdAt: at,
  updatedAt: at,
  ...over,
});
export const attempt = (over: Partial<PaymentAttempt> = {}): PaymentAttempt => ({
  id: 'pa_1',
  providerPaymentId: null,
  orderId: 'ord_1',
  paymentMethodId: 'pm_1',
  connector: 'acquiring-v1',
  amount: 150000,
  currency: 'AMD',
  providerRef: 'fd-1240',
  nextStep: null,
  status: 'pending',
  verifiedBy: null,
  providerStatus: null,
  errorCode: null,
  paymentLinkId: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});
