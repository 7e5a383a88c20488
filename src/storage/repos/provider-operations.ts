import type { ProviderOperation } from '../../domain/provider-operation.js';
import type { ProviderOperationReads, ProviderOperationWrites } from '../../ports/storage/provider-operations.js';
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
      let query = ctx.db.selectFrom('provider_operations').selectAll();
      if (q.orderId) query = query.where('order_id', '=', q.orderId);
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.updatedBefore) query = query.where('updated_at', '<', q.updatedBefore);
      const rows = await query.orderBy('updated_at').orderBy('id').limit(q.limit).execute();
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
