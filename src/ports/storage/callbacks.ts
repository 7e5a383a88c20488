import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';

export interface CallbackQuery {
  paymentMethodId?: string;
  outcome?: CallbackOutcome;
  providerRef?: string;
  attemptId?: string;
  limit: number;
}

/** The log of providers' callbacks. */
export interface CallbackReads {
  /** Newest first. */
  listCallbacks(q: CallbackQuery): Promise<CallbackRecord[]>;
}

export interface CallbackWrites {
  insertCallback(cb: CallbackRecord): Promise<void>;
}
