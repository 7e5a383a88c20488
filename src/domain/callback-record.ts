import type { EventOutcome } from './provider-event.js';

export type CallbackOutcome = EventOutcome | 'rejected' | 'received';

/** A provider's request to Settle as it came, and what became of it. */
export interface CallbackRecord {
  id: string;
  paymentMethodId: string;
  receivedAt: string;
  method: string;
  headers: Record<string, string>;
  query: string;
  body: string;
  verified: boolean;
  outcome: CallbackOutcome;
  reason: string | null;
  providerRef: string | null;
  providerStatus: string | null;
  attemptId: string | null;
  orderId: string | null;
}
