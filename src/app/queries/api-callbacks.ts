import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

/** What the callback log can be narrowed by. */
export interface CallbackLogFilters {
  paymentMethodId?: string;
  outcome?: CallbackOutcome;
  providerRef?: string;
  /** The callbacks matched to this order (any of its payment attempts). */
  orderId?: string;
}

export interface CallbackPage {
  callbacks: CallbackRecord[];
  nextCursor: string | null;
}

/**
 * The callback log, newest first (received_at, then id), as received (the connector redacted
 * secrets before it was stored), one page by keyset: a cursor names the last callback seen, so
 * pages never skip or repeat even while callbacks keep arriving. A cursor this API did not give
 * out is `cursor_invalid`.
 */
export async function listCallbackLog(
  deps: AppDeps,
  q: CallbackLogFilters & { limit: number; cursor?: string },
): Promise<Result<CallbackPage>> {
  let before: { receivedAt: string; id: string } | undefined;
  if (q.cursor) {
    const decoded = decodeCursor(q.cursor);
    if (!decoded) return fail('cursor_invalid', 'The cursor is not one this API gave out.');
    before = { receivedAt: decoded.at, id: decoded.id };
  }
  const rows = await deps.storage.read.listCallbacks({
    paymentMethodId: q.paymentMethodId || undefined,
    outcome: q.outcome,
    providerRef: q.providerRef || undefined,
    orderId: q.orderId || undefined,
    limit: q.limit + 1,
    before,
  });
  const callbacks = rows.slice(0, q.limit);
  const last = callbacks.at(-1);
  return ok({
    callbacks,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.receivedAt, id: last.id }) : null,
  });
}
