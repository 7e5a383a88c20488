import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';

export interface CallbackQuery {
  paymentMethodId?: string;
  outcome?: CallbackOutcome;
  providerRef?: string;
  /** The callbacks matched to this order (through any of its payment attempts). */
  orderId?: string;
  limit: number;
  /** Keyset cursor: list callbacks strictly older than this (received_at, id). */
  before?: { receivedAt: string; id: string };
}

/** The log of providers' callbacks. */
export interface CallbackReads {
  /** Newest first: received_at, then id, both descending, so the order is total and pages by `before` never overlap. */
  listCallbacks(q: CallbackQuery): Promise<CallbackRecord[]>;
}

export interface CallbackWrites {
  insertCallback(cb: CallbackRecord): Promise<void>;
}
