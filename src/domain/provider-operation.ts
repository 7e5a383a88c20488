export type OperationStatus = 'requested' | 'succeeded' | 'failed';

/** A call to a provider as an intent: recorded before the call, settled after it (or by the janitor). */
export interface ProviderOperation {
  id: string;
  kind: 'cancel';
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
