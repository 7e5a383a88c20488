import type { AttemptStatus } from '../../domain/attempt-status.js';
import type { PaymentAttempt } from '../../domain/order.js';

export interface AttemptPatch {
  status?: AttemptStatus;
  nextStep?: PaymentAttempt['nextStep'];
  providerPaymentId?: string | null;
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
  /**
   * The attempt of this method the provider names, by the reference Settle sent (normalized, as
   * the connector compares them) or by the provider's own id (as it gave it).
   */
  findAttemptByProviderRef(
    paymentMethodId: string,
    ref: { norm: string; raw: string },
  ): Promise<PaymentAttempt | undefined>;
  /**
   * Attempts still open (created, pending, authorized) made before `createdBefore`: the ones the
   * janitor has not checked yet first, then the longest unchecked, so none is starved.
   */
  listOpenAttempts(q: { createdBefore: string; limit: number }): Promise<PaymentAttempt[]>;
  findAttemptsByProviderRefs(paymentMethodId: string, refsNorm: readonly string[]): Promise<PaymentAttempt[]>;
}

export interface AttemptWrites {
  /**
   * Inserts unless the provider reference is taken for this payment method; returns whether it
   * inserted. The caller holds the order's lock: the attempt's number (one past the order's
   * attempts) is counted in the insert itself.
   */
  insertAttempt(attempt: PaymentAttempt, providerRefNorm: string): Promise<boolean>;
  updateAttempt(id: string, patch: AttemptPatch): Promise<void>;
  /** Notes that the janitor asked the provider about the attempt now (answered or not). */
  markAttemptChecked(id: string, at: string): Promise<void>;
  /**
   * Hands out the next integer of the range under `name`, once: the counter row is locked by the
   * update, so two transactions never get the same number. Undefined when the range is used up.
   * A range moved up (a new range from the bank) starts again at its `from`.
   */
  nextReferenceNumber(name: string, range: { from: number; to: number }, at: string): Promise<number | undefined>;
}
