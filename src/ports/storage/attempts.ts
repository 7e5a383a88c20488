import type { AttemptStatus } from '../../domain/attempt-status.js';
import type { PaymentAttempt } from '../../domain/order.js';

export interface AttemptPatch {
  status?: AttemptStatus;
  nextStep?: PaymentAttempt['nextStep'];
  verifiedBy?: PaymentAttempt['verifiedBy'];
  providerStatus?: string | null;
  errorCode?: string | null;
  updatedAt: string;
}

/** Payment attempts: an order's, by provider reference, the ones still open. */
export interface AttemptReads {
  getAttempt(id: string): Promise<PaymentAttempt | undefined>;
  /** Oldest first. */
  listAttempts(orderId: string): Promise<PaymentAttempt[]>;
  /** The attempts of several orders at once, each list oldest first. */
  listAttemptsForOrders(orderIds: readonly string[]): Promise<Map<string, PaymentAttempt[]>>;
  findAttemptByProviderRef(paymentMethodId: string, providerRefNorm: string): Promise<PaymentAttempt | undefined>;
  /** Attempts still open (created, pending, authorized) made before `createdBefore`, oldest first. */
  listOpenAttempts(q: { createdBefore: string; limit: number }): Promise<PaymentAttempt[]>;
  findAttemptsByProviderRefs(paymentMethodId: string, refsNorm: readonly string[]): Promise<PaymentAttempt[]>;
}

export interface AttemptWrites {
  /** Inserts unless the provider reference is taken for this payment method; returns whether it inserted. */
  insertAttempt(attempt: PaymentAttempt, providerRefNorm: string): Promise<boolean>;
  updateAttempt(id: string, patch: AttemptPatch): Promise<void>;
}
