import { ATTEMPT_STATUSES } from '../../domain/attempt-status.js';
import type { NewOrderEvent, OrderEvent } from '../../domain/timeline.js';
import type { StorageTx } from '../../ports/storage.js';
import type { AppDeps } from '../deps.js';

/** Appends events to the order's timeline (after what is there) and counts the status moves among them. */
export async function appendTimeline(
  deps: AppDeps,
  tx: StorageTx,
  orderId: string,
  at: string,
  events: readonly NewOrderEvent[],
): Promise<OrderEvent[]> {
  const appended = await tx.appendEvents(orderId, at, events);
  countStatusChanges(deps, appended);
  return appended;
}

/** Timeline kinds that are a status move of one track, besides every `<track>.status_changed`. */
const STATUS_EVENTS: Record<string, readonly string[]> = {
  payment: ATTEMPT_STATUSES,
  refund: ['requested', 'pending', 'succeeded', 'failed'],
  chargeback: ['opened', 'won', 'lost'],
  review: ['pending', 'approved', 'rejected'],
  receipt: ['issued', 'failed'],
};

/**
 * Counts status moves for /metrics as they are written. They are counted inside the transaction:
 * one that rolls back afterwards (rare: a lost race, a dropped connection) has still been
 * counted, so the counter is a close measure of activity, not a ledger.
 */
function countStatusChanges(deps: AppDeps, events: readonly OrderEvent[]): void {
  for (const e of events) {
    const dot = e.kind.indexOf('.');
    const track = e.kind.slice(0, dot);
    const what = e.kind.slice(dot + 1);
    if (what === 'status_changed' && typeof e.data?.to === 'string') deps.metrics.statusChanged(track, e.data.to);
    else if (STATUS_EVENTS[track]?.includes(what)) deps.metrics.statusChanged(track, what);
  }
}
