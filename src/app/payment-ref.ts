import type { PaymentAttempt } from '../domain/order.js';
import type { PaymentRef } from '../ports/connector.js';

/** An attempt as its provider knows it: both references and what it was made out for. */
export const paymentRefOf = (a: PaymentAttempt): PaymentRef => ({
  providerRef: a.providerRef,
  providerPaymentId: a.providerPaymentId,
  amount: a.amount,
  currency: a.currency,
});
