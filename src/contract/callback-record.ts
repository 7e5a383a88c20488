import type { CallbackRecord } from '../domain/callback-record.js';
import { bool, dateTime, nullable, str, type Wire } from './fields.js';

export const CALLBACK_OUTCOMES = [
  'applied',
  'duplicate',
  'stale',
  'ignored',
  'rejected',
  'received',
  'answered',
] as const satisfies readonly CallbackRecord['outcome'][];

export const callbackSchema = {
  type: 'object',
  properties: {
    id: str,
    payment_method_id: str,
    received_at: dateTime,
    method: str,
    headers: { type: 'object', additionalProperties: str },
    query: str,
    body: str,
    verified: bool,
    outcome: { type: 'string', enum: [...CALLBACK_OUTCOMES] },
    reason: nullable(str),
    provider_ref: nullable(str),
    provider_status: nullable(str),
    payment_id: nullable(str),
    order_id: nullable(str),
  },
} as const;

export type CallbackView = Wire<typeof callbackSchema>;

/** A callback as received, its secrets already redacted by the connector before it was stored. */
export function callbackView(c: CallbackRecord): CallbackView {
  return {
    id: c.id,
    payment_method_id: c.paymentMethodId,
    received_at: c.receivedAt,
    method: c.method,
    headers: c.headers,
    query: c.query,
    body: c.body,
    verified: c.verified,
    outcome: c.outcome,
    reason: c.reason,
    provider_ref: c.providerRef,
    provider_status: c.providerStatus,
    payment_id: c.attemptId,
    order_id: c.orderId,
  };
}

export const callbackListSchema = {
  type: 'object',
  properties: { data: { type: 'array', items: callbackSchema }, next_cursor: nullable(str) },
} as const;

export type CallbackListView = Wire<typeof callbackListSchema>;

/** One page of the callback log; `next_cursor` asks for the page after it (null: this was the last). */
export function callbackListView(callbacks: readonly CallbackRecord[], nextCursor: string | null): CallbackListView {
  return { data: callbacks.map(callbackView), next_cursor: nextCursor };
}
