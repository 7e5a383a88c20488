import type { OutboxMessage, OutboxStatus } from '../../domain/outbox.js';
import type { StoreStatusMap } from '../../domain/store-status.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';

export interface OutboxQuery {
  status?: OutboxStatus;
  topic?: OutboxMessage['topic'];
  orderId?: string;
  /** A webhook endpoint's id, or a mail target. */
  target?: string;
  limit: number;
}

export interface OutboxPatch {
  status?: OutboxStatus;
  nextAttemptAt?: string;
  lastError?: string | null;
  deliveredAt?: string | null;
  /** A message put back after it was given up starts its tries afresh. */
  attempts?: number;
  /** Set when a message is put back in the queue. */
  queuedAt?: string;
  /** Releases the worker's claim. */
  release?: boolean;
}

export interface WebhookEndpointPatch {
  enabled?: boolean;
  events?: string[];
  statusMapPreset?: string | null;
  statusMap?: StoreStatusMap;
  updatedAt: string;
}

/** The outbox of webhooks and mails, and the webhook endpoints it delivers to. */
export interface OutboxReads {
  /** Pending and given-up (failed) outbox messages by topic, with the oldest one's creation time. */
  outboxSummary(): Promise<
    { status: 'pending' | 'failed'; topic: OutboxMessage['topic']; count: number; oldestQueuedAt: string | null }[]
  >;
  listOutbox(q: OutboxQuery): Promise<OutboxMessage[]>;
  getOutbox(id: string): Promise<OutboxMessage | undefined>;
  listWebhookEndpoints(): Promise<WebhookEndpointRecord[]>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpointRecord | undefined>;
}

export interface OutboxWrites {
  insertOutbox(messages: readonly OutboxMessage[]): Promise<void>;
  /**
   * Claims up to `limit` due messages for `holder` until `leaseUntil`, counting a try on each.
   * A message waits while an older one to the same target for the same order is undelivered, so
   * each receiver hears of an order in order. PostgreSQL: FOR UPDATE SKIP LOCKED, so several
   * workers share the work; SQLite: the transaction's write lock. An expired claim (a worker that
   * died) may be claimed again.
   */
  claimOutbox(q: { now: string; holder: string; leaseUntil: string; limit: number }): Promise<OutboxMessage[]>;
  updateOutbox(id: string, patch: OutboxPatch): Promise<void>;
  insertWebhookEndpoint(e: WebhookEndpointRecord): Promise<void>;
  updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<void>;
}
