export type OperationStatus = 'requested' | 'succeeded' | 'failed';

/**
 * cancel: one open attempt of an order being canceled (the order becomes canceled once each is).
 * supersede: an older open attempt canceled because a new attempt of the order was started, so
 * the customer cannot pay twice; the order stays as it is whatever the answer.
 */
export type OperationKind = 'cancel' | 'supersede';

/** A call to a provider as an intent: recorded before the call, settled after it (or by the janitor). */
export interface ProviderOperation {
  id: string;
  kind: OperationKind;
  orderId: string;
  attemptId: string;
  status: OperationStatus;
  actor: string;
  reason: string | null;
  error: string | null;
  tries: number;
  createdAt: string;
  updatedAt: string;
}
