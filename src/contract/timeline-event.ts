import type { OrderEvent } from '../domain/timeline.js';
import { dateTime, int, listOf, nullable, str, type Wire } from './fields.js';

export const timelineEventSchema = {
  type: 'object',
  properties: {
    seq: int,
    at: dateTime,
    kind: str,
    actor: str,
    summary: str,
    amount: nullable({
      type: 'integer',
      description: 'Minor units: the money this event is about (a payment, a refund, an adjustment delta)',
    }),
    currency: nullable(str),
    reason: nullable({ type: 'string', description: 'Why, as the actor gave it' }),
    payment_id: nullable(str),
    task_kind: nullable(str),
    task_id: nullable({ type: 'string', description: 'The task this event opened or changed' }),
  },
} as const;

export const timelineSchema = listOf(timelineEventSchema);

export type TimelineEventView = Wire<typeof timelineEventSchema>;

/** One timeline line for support: who, how much (in the order's currency) and why, where the event has them. */
export function eventView(e: OrderEvent, currency: string): TimelineEventView {
  const d = e.data ?? {};
  const amount = typeof d.amount === 'number' ? d.amount : typeof d.amount_delta === 'number' ? d.amount_delta : null;
  const reason = typeof d.reason === 'string' ? d.reason : typeof d.note === 'string' ? d.note : null;
  return {
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    actor: e.actor,
    summary: e.summary,
    amount,
    currency: amount === null ? null : currency,
    reason,
    payment_id: e.attemptId ?? null,
    task_kind: e.taskKind ?? null,
    task_id: e.taskId ?? null,
  };
}
