import type { Adjustment } from '../../domain/adjustment.js';
import type { Chargeback } from '../../domain/chargeback.js';
import type { Refund } from '../../domain/refund.js';
import type { MoneyRecordReads, MoneyRecordWrites } from '../../ports/storage/money-records.js';
import type { RepoContext, Row } from './context.js';
import { readCompiled } from './compiled-reads.js';

export function refundFromRow(r: Row<'refunds'>): Refund {
  return {
    id: r.id,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    amount: Number(r.amount),
    currency: r.currency,
    reason: r.reason,
    lines: JSON.parse(r.lines),
    actor: r.actor,
    status: r.status as Refund['status'],
    surplusAmount: Number(r.surplus_amount),
    providerRef: r.provider_ref,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function chargebackFromRow(r: Row<'chargebacks'>): Chargeback {
  return {
    id: r.id,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    amount: Number(r.amount),
    currency: r.currency,
    reasonCode: r.reason_code,
    status: r.status as Chargeback['status'],
    source: r.source as Chargeback['source'],
    providerRef: r.provider_ref,
    note: r.note,
    actor: r.actor,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function adjustmentFromRow(r: Row<'adjustments'>): Adjustment {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as Adjustment['kind'],
    lines: JSON.parse(r.lines),
    amountDelta: Number(r.amount_delta),
    amountBefore: Number(r.amount_before),
    amountAfter: Number(r.amount_after),
    reason: r.reason,
    actor: r.actor,
    refundId: r.refund_id,
    createdAt: r.created_at,
  };
}

export function moneyRecordRepo(ctx: RepoContext): MoneyRecordReads & MoneyRecordWrites {
  return {
    async listRefunds(orderId) {
      const rows = await readCompiled(
        ctx,
        'listRefunds',
        (db, s) =>
          db.selectFrom('refunds').selectAll().where('order_id', '=', s(0)).orderBy('created_at').orderBy('id'),
        [orderId],
      );
      return rows.map(refundFromRow);
    },

    async getRefund(id) {
      const r = await ctx.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
      return r && refundFromRow(r);
    },

    async listRefundsByStatus(q) {
      const rows = await ctx.db
        .selectFrom('refunds')
        .selectAll()
        .where('status', '=', q.status)
        .where('updated_at', '<', q.updatedBefore)
        .orderBy('updated_at')
        .limit(q.limit)
        .execute();
      return rows.map(refundFromRow);
    },

    async findRefundsByProviderRefs(refs) {
      if (refs.length === 0) return [];
      const rows = await ctx.db.selectFrom('refunds').selectAll().where('provider_ref', 'in', refs).execute();
      return rows.map(refundFromRow);
    },

    async listChargebacks(orderId) {
      const rows = await readCompiled(
        ctx,
        'listChargebacks',
        (db, s) =>
          db.selectFrom('chargebacks').selectAll().where('order_id', '=', s(0)).orderBy('created_at').orderBy('id'),
        [orderId],
      );
      return rows.map(chargebackFromRow);
    },

    async getChargeback(id) {
      const r = await ctx.db.selectFrom('chargebacks').selectAll().where('id', '=', id).executeTakeFirst();
      return r && chargebackFromRow(r);
    },

    async findChargebackByProviderRef(attemptId, providerRef) {
      const r = await ctx.db
        .selectFrom('chargebacks')
        .selectAll()
        .where('attempt_id', '=', attemptId)
        .where('provider_ref', '=', providerRef)
        .executeTakeFirst();
      return r && chargebackFromRow(r);
    },

    async listAdjustments(orderId) {
      const rows = await readCompiled(
        ctx,
        'listAdjustments',
        (db, s) =>
          db.selectFrom('adjustments').selectAll().where('order_id', '=', s(0)).orderBy('created_at').orderBy('id'),
        [orderId],
      );
      return rows.map(adjustmentFromRow);
    },

    async insertRefund(r) {
      await ctx.db
        .insertInto('refunds')
        .values({
          id: r.id,
          order_id: r.orderId,
          attempt_id: r.attemptId,
          amount: r.amount,
          currency: r.currency,
          reason: r.reason,
          lines: JSON.stringify(r.lines),
          actor: r.actor,
          status: r.status,
          surplus_amount: r.surplusAmount,
          provider_ref: r.providerRef,
          error: r.error,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .execute();
    },

    async updateRefund(id, p) {
      await ctx.db
        .updateTable('refunds')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
          ...(p.error !== undefined && { error: p.error }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async insertChargeback(c) {
      await ctx.db
        .insertInto('chargebacks')
        .values({
          id: c.id,
          order_id: c.orderId,
          attempt_id: c.attemptId,
          amount: c.amount,
          currency: c.currency,
          reason_code: c.reasonCode,
          status: c.status,
          source: c.source,
          provider_ref: c.providerRef,
          note: c.note,
          actor: c.actor,
          created_at: c.createdAt,
          updated_at: c.updatedAt,
        })
        .execute();
    },

    async updateChargeback(id, p) {
      await ctx.db
        .updateTable('chargebacks')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.note !== undefined && { note: p.note }),
          ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async insertAdjustment(a) {
      await ctx.db
        .insertInto('adjustments')
        .values({
          id: a.id,
          order_id: a.orderId,
          kind: a.kind,
          lines: JSON.stringify(a.lines),
          amount_delta: a.amountDelta,
          amount_before: a.amountBefore,
          amount_after: a.amountAfter,
          reason: a.reason,
          actor: a.actor,
          refund_id: a.refundId,
          created_at: a.createdAt,
        })
        .execute();
    },
  };
}
