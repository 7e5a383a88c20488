import type { ReconciliationRun } from '../../domain/reconciliation-run.js';
import type { ReconciliationReads, ReconciliationWrites } from '../../ports/storage/reconciliation.js';
import type { RepoContext, Row } from './context.js';

export function runFromRow(r: Row<'reconciliation_runs'>): ReconciliationRun {
  return {
    id: r.id,
    paymentMethodId: r.payment_method_id,
    reportDate: r.report_date,
    fileName: r.file_name,
    fileHash: r.file_hash,
    via: r.via as ReconciliationRun['via'],
    actor: r.actor,
    status: r.status as ReconciliationRun['status'],
    error: r.error,
    summary: r.summary ? JSON.parse(r.summary) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

/** Runs and their report lines; what a run compares them with is reconciliation-records.ts's. */
export function reconciliationRepo(
  ctx: RepoContext,
): Omit<ReconciliationReads, 'listOrderRecords' | 'listUnreportedPayments' | 'listUnreportedRefunds'> &
  ReconciliationWrites {
  return {
    async getRun(id) {
      const r = await ctx.db.selectFrom('reconciliation_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && runFromRow(r);
    },

    async findRunByFile(paymentMethodId, fileHash) {
      const r = await ctx.db
        .selectFrom('reconciliation_runs')
        .selectAll()
        .where('payment_method_id', '=', paymentMethodId)
        .where('file_hash', '=', fileHash)
        .executeTakeFirst();
      return r && runFromRow(r);
    },

    async listRuns(q) {
      let query = ctx.db.selectFrom('reconciliation_runs').selectAll();
      if (q.paymentMethodId) query = query.where('payment_method_id', '=', q.paymentMethodId);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(runFromRow);
    },

    async reportLineBounds(runId) {
      const r = await ctx.db
        .selectFrom('report_lines')
        .select((eb) => [eb.fn.max('line_no').as('last'), eb.fn.min('line_no').as('first')])
        .where('run_id', '=', runId)
        .executeTakeFirst();
      return { last: Math.max(0, Number(r?.last ?? 0)), first: Math.min(0, Number(r?.first ?? 0)) };
    },

    async findReportedDupKeys(runId, keys) {
      if (keys.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('report_lines')
        .select('dup_key')
        .distinct()
        .where('run_id', '=', runId)
        .where('dup_key', 'in', keys)
        .execute();
      return rows.map((r) => r.dup_key!);
    },

    async findReportedRecords(runId, recordIds) {
      if (recordIds.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('report_lines')
        .select('record_id')
        .distinct()
        .where('run_id', '=', runId)
        .where('outcome', '!=', 'unreadable')
        .where('record_id', 'in', recordIds)
        .execute();
      return rows.map((r) => r.record_id!);
    },

    async reportLineTotals(runId) {
      const outcomes = await ctx.db
        .selectFrom('report_lines')
        .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .where('line_no', '>', 0)
        .groupBy('outcome')
        .execute();
      const kinds = await ctx.db
        .selectFrom('report_lines')
        .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .where('kind', 'is not', null)
        .groupBy('kind')
        .execute();
      const sums = await ctx.db
        .selectFrom('report_lines')
        .select([
          'currency',
          'type',
          (eb) => eb.fn.sum<number>('amount').as('amount'),
          (eb) => eb.fn.sum<number>('fee').as('fee'),
        ])
        .where('run_id', '=', runId)
        .where('status', '=', 'succeeded')
        .groupBy(['currency', 'type'])
        .execute();
      return {
        outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])),
        kinds: Object.fromEntries(kinds.map((k) => [k.kind!, Number(k.n)])),
        sums: sums.map((s) => ({ currency: s.currency!, type: s.type!, amount: Number(s.amount), fee: Number(s.fee) })),
      };
    },

    async insertRun(run) {
      const rows = await ctx.db
        .insertInto('reconciliation_runs')
        .values({
          id: run.id,
          payment_method_id: run.paymentMethodId,
          report_date: run.reportDate,
          file_name: run.fileName,
          file_hash: run.fileHash,
          via: run.via,
          actor: run.actor,
          status: run.status,
          error: run.error,
          summary: run.summary ? JSON.stringify(run.summary) : null,
          created_at: run.createdAt,
          updated_at: run.updatedAt,
          completed_at: run.completedAt,
        })
        .onConflict((oc) => oc.columns(['payment_method_id', 'file_hash']).doNothing())
        .returning('id')
        .execute();
      return rows.length === 1;
    },

    async updateRun(id, p) {
      await ctx.db
        .updateTable('reconciliation_runs')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.error !== undefined && { error: p.error }),
          ...(p.summary !== undefined && { summary: p.summary ? JSON.stringify(p.summary) : null }),
          ...(p.completedAt !== undefined && { completed_at: p.completedAt }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async insertReportLines(lines) {
      // Parameter limits: SQLite allows 32766 per statement, PostgreSQL 65535; 16 columns × 500 rows fits both.
      for (let i = 0; i < lines.length; i += 500) {
        await ctx.db
          .insertInto('report_lines')
          .values(
            lines.slice(i, i + 500).map((l) => ({
              run_id: l.runId,
              line_no: l.lineNo,
              provider_ref: l.providerRef,
              order_reference: l.orderReference,
              type: l.type,
              amount: l.amount,
              currency: l.currency,
              status: l.status,
              at: l.at,
              fee: l.fee,
              dup_key: l.dupKey,
              outcome: l.outcome,
              kind: l.kind,
              record_id: l.recordId,
              order_id: l.orderId,
              message: l.message,
            })),
          )
          .onConflict((oc) => oc.columns(['run_id', 'line_no']).doNothing())
          .execute();
      }
    },
  };
}
