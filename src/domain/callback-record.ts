import type { EventOutcome } from './provider-event.js';

/**
 * What became of a callback: a verified notice's outcome, `rejected` (not verified, or naming no
 * payment), `received` (a trigger whose status check got no answer yet: the janitor checks), or
 * `answered` (a pre-check answered yes or no; the reason says which).
 */
export type CallbackOutcome = EventOutcome | 'rejected' | 'received' | 'answered';

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
