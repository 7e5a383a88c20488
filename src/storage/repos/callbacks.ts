import { sql } from 'kysely';
import type { CallbackRecord } from '../../domain/callback-record.js';
import type { CallbackReads, CallbackWrites } from '../../ports/storage/callbacks.js';
import type { RepoContext, Row } from './context.js';
import { insertRows } from './compiled-writes.js';

export function callbackFromRow(r: Row<'callbacks'>): CallbackRecord {
  return {
    id: r.id,
    paymentMethodId: r.payment_method_id,
    receivedAt: r.received_at,
    method: r.method,
    headers: JSON.parse(r.headers),
    query: r.query,
    body: r.body,
    verified: r.verified === 1,
    outcome: r.outcome as CallbackRecord['outcome'],
    reason: r.reason,
    providerRef: r.provider_ref,
    providerStatus: r.provider_status,
    attemptId: r.attempt_id,
    orderId: r.order_id,
  };
}

export function callbackRepo(ctx: RepoContext): CallbackReads & CallbackWrites {
  return {
    async listCallbacks(q) {
      let query = ctx.db.selectFrom('callbacks').selectAll();
      if (q.providerRef) query = query.where('provider_ref', '=', q.providerRef);
      if (q.paymentMethodId) query = query.where('payment_method_id', '=', q.paymentMethodId);
      if (q.outcome) query = query.where('outcome', '=', q.outcome);
      if (q.orderId) query = query.where('order_id', '=', q.orderId);
      // A row comparison, the indexes' order: each page is one index range from where the last ended.
      const before = q.before;
      if (before) query = query.where(sql<boolean>`(received_at, id) < (${before.receivedAt}, ${before.id})`);
      const rows = await query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(callbackFromRow);
    },

    async insertCallback(cb) {
      await ctx.write(
        'callbacks',
        'insert',
        insertRows(ctx, 'callbacks', [
          {
            id: cb.id,
            payment_method_id: cb.paymentMethodId,
            received_at: cb.receivedAt,
            method: cb.method,
            headers: JSON.stringify(cb.headers),
            query: cb.query,
            body: cb.body,
            verified: cb.verified ? 1 : 0,
            outcome: cb.outcome,
            reason: cb.reason,
            provider_ref: cb.providerRef,
            provider_status: cb.providerStatus,
            attempt_id: cb.attemptId,
            order_id: cb.orderId,
          },
        ]),
      );
    },
  };
}
