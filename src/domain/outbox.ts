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
  /** When it last entered the queue: its creation, or the latest put-back (retry or resend). */
  queuedAt: string;
  deliveredAt: string | null;
  /** The id of the HTTP request whose change produced it (null: a worker, the janitor, the CLI). */
  requestId: string | null;
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

/** The sync track: how far one webhook endpoint has been told of one order. */
export type SyncStatus = 'pending' | 'synced' | 'failing' | 'failed';
export interface SyncState {
  endpointId: string;
  status: SyncStatus;
  lastEventType: string;
  lastError: string | null;
  updatedAt: string;
}

/**
 * Pure: each endpoint's sync track for one order, derived from the order's webhook messages, so
 * it can never disagree with them. Failed while any message to it was given up, failing while one
 * is being retried, pending while any is queued, synced when all arrived.
 */
export function deriveSyncStates(webhooks: readonly OutboxMessage[]): SyncState[] {
  const byTarget = new Map<string, OutboxMessage[]>();
  for (const m of webhooks) byTarget.set(m.target, [...(byTarget.get(m.target) ?? []), m]);
  return [...byTarget.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([endpointId, ms]) => {
      const failed = ms.find((m) => m.status === 'failed');
      const retrying = ms.find((m) => m.status === 'pending' && m.lastError !== null);
      const status: SyncStatus = failed
        ? 'failed'
        : retrying
          ? 'failing'
          : ms.some((m) => m.status === 'pending')
            ? 'pending'
            : 'synced';
      const latest = ms.reduce((a, b) => (b.orderSeq > a.orderSeq ? b : a));
      const updatedAt = ms.map((m) => m.deliveredAt ?? m.createdAt).reduce((a, b) => (b > a ? b : a));
      return {
        endpointId,
        status,
        lastEventType: latest.eventType,
        lastError: (failed ?? retrying)?.lastError ?? null,
        updatedAt,
      };
    });
}
