/** Where an outbox message goes: a store's webhook endpoint, an e-mail, or the fiscal service. */
export type OutboxTopic = 'webhook' | 'email' | 'fiscal';
export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * An effect outside the database, written in the transaction that caused it and delivered at
 * least once. `id` is stable across resends: receivers deduplicate by it.
 */
export interface OutboxMessage {
  id: string;
  topic: OutboxTopic;
  /** payment.succeeded, mail.customer_paid, receipt.sale… */
  eventType: string;
  orderId: string | null;
  /** The timeline seq of the event that caused it: messages to one target for one order go out in this order. */
  orderSeq: number;
  /** The webhook endpoint id, `mail:<recipient>`, or `fiscal`. */
  target: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  /** Tries so far, counted when a worker claims it. */
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** After this many tries the message is given up (failed) and a person is told. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 10_000, maxMs: 3_600_000, maxAttempts: 12 };

/**
 * Exponential back-off after the `attempts`-th failed try: base·2^(attempts−1), capped, spread by
 * ±20% (`jitter` in [0,1)) so a crowd of messages to one dead endpoint does not retry in step.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, jitter: number): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * jitter));
}
