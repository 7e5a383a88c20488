import { OUTBOX_STATUSES, type OutboxMessage } from '../domain/outbox.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

export const OUTBOX_TOPICS = ['webhook', 'email', 'fiscal'] as const;

/** An outbox message without its payload: what is stuck and why. */
export const outboxSchema = {
  type: 'object',
  properties: {
    id: str,
    topic: { type: 'string', enum: [...OUTBOX_TOPICS] },
    event_type: str,
    order_id: nullable(str),
    target: str,
    status: { type: 'string', enum: [...OUTBOX_STATUSES] },
    attempts: int,
    next_attempt_at: dateTime,
    last_error: nullable(str),
    created_at: dateTime,
    queued_at: {
      type: 'string',
      format: 'date-time',
      description: 'When it last entered the queue: created_at, or the latest retry or resend',
    },
    delivered_at: nullable(dateTime),
    request_id: nullable({
      type: 'string',
      description:
        "The id of the HTTP request that produced it (also in that request's log lines); null when a worker or the janitor did",
    }),
  },
} as const;

export type OutboxView = Wire<typeof outboxSchema>;

export function outboxView(m: OutboxMessage): OutboxView {
  return {
    id: m.id,
    topic: m.topic,
    event_type: m.eventType,
    order_id: m.orderId,
    target: m.target,
    status: m.status,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    last_error: m.lastError,
    created_at: m.createdAt,
    queued_at: m.queuedAt,
    delivered_at: m.deliveredAt,
    request_id: m.requestId,
  };
}
