import type { ProviderOperation } from '../../domain/provider-operation.js';
import type { ProviderOperationReads, ProviderOperationWrites } from '../../ports/storage/provider-operations.js';
import { readCompiled } from './compiled-reads.js';
import type { RepoContext, Row } from './context.js';

export function operationFromRow(r: Row<'provider_operations'>): ProviderOperation {
  return {
    id: r.id,
    kind: r.kind as ProviderOperation['kind'],
    orderId: r.order_id,
    attemptId: r.attempt_id,
    status: r.status as ProviderOperation['status'],
    actor: r.actor,
    reason: r.reason,
    error: r.error,
    tries: Number(r.tries),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function providerOperationRepo(ctx: RepoContext): ProviderOperationReads & ProviderOperationWrites {
  return {
    async listOperations(q) {
      // Every new payment asks whether a cancel is pending: compiled once per set of filters.
      const given = [q.orderId, q.kind, q.status, q.updatedBefore].map((v) => (v ? v : undefined));
      const values = given.filter((v) => v !== undefined);
      const rows = await readCompiled(
        ctx,
        `listOperations:${given.map((v) => (v === undefined ? '-' : '+')).join('')}`,
        (db, s) => {
          let n = 0;
          let query = db.selectFrom('provider_operations').selectAll();
          if (given[0]) query = query.where('order_id', '=', s(n++));
          if (given[1]) query = query.where('kind', '=', s(n++));
          if (given[2]) query = query.where('status', '=', s(n++));
          if (given[3]) query = query.where('updated_at', '<', s(n++));
          return query.orderBy('updated_at').orderBy('id').limit(s(n));
        },
        [...values, q.limit],
      );
      return rows.map(operationFromRow);
    },

    async insertOperation(op) {
      await ctx.db
        .insertInto('provider_operations')
        .values({
          id: op.id,
          kind: op.kind,
          order_id: op.orderId,
          attempt_id: op.attemptId,
          status: op.status,
          actor: op.actor,
          reason: op.reason,
          error: op.error,
          tries: op.tries,
          created_at: op.createdAt,
          updated_at: op.updatedAt,
        })
        .execute();
    },

    async updateOperation(id, p) {
      await ctx.db
        .updateTable('provider_operations')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.error !== undefined && { error: p.error }),
          ...(p.tries !== undefined && { tries: p.tries }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
