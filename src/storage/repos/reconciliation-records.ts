import { sql, type Kysely } from 'kysely';
import type { ReconciliationReads } from '../../ports/storage/reconciliation.js';
import type { Database } from '../schema.js';
import { attemptFromRow } from './attempts.js';
import type { RepoContext } from './context.js';
import { chargebackFromRow, refundFromRow } from './money-records.js';
import { receiptFromRow } from './receipts.js';
import { taskFromRow } from './tasks.js';

/** A line of the run naming the outer query's record (a payment's or a refund's id). */
function lineNaming(from: Kysely<Database>, runId: string, record: 'a.id' | 'r.id') {
  return from
    .selectFrom('report_lines as l')
    .select('l.line_no')
    .where('l.run_id', '=', runId)
    .where('l.record_id', '=', sql.ref<string>(record));
}

export function reconciliationRecordRepo(
  ctx: RepoContext,
): Pick<ReconciliationReads, 'listOrderRecords' | 'listUnreportedPayments' | 'listUnreportedRefunds'> {
  return {
    async listOrderRecords(orderIds) {
      if (orderIds.length === 0) return { refunds: [], chargebacks: [], receipts: [], openTasks: [] };
      const [refunds, chargebacks, receipts, openTasks] = await Promise.all([
        ctx.db.selectFrom('refunds').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
        ctx.db.selectFrom('chargebacks').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
        ctx.db.selectFrom('receipts').selectAll().where('order_id', 'in', orderIds).orderBy('created_at').execute(),
        ctx.db.selectFrom('tasks').selectAll().where('order_id', 'in', orderIds).where('status', '=', 'open').execute(),
      ]);
      return {
        refunds: refunds.map(refundFromRow),
        chargebacks: chargebacks.map(chargebackFromRow),
        receipts: receipts.map(receiptFromRow),
        openTasks: openTasks.map(taskFromRow),
      };
    },

    async listUnreportedPayments(q) {
      const rows = await ctx.db
        .selectFrom('payment_attempts as a')
        .selectAll('a')
        .where('a.payment_method_id', '=', q.paymentMethodId)
        .where('a.status', '=', 'succeeded')
        .where('a.updated_at', '>=', q.from)
        .where('a.updated_at', '<', q.to)
        .where('a.id', '>', q.afterId)
        .where((eb) => eb.not(eb.exists(lineNaming(ctx.db, q.runId, 'a.id'))))
        .orderBy('a.id')
        .limit(q.limit)
        .execute();
      return rows.map(attemptFromRow);
    },

    async listUnreportedRefunds(q) {
      const rows = await ctx.db
        .selectFrom('refunds as r')
        .innerJoin('payment_attempts as a', 'a.id', 'r.attempt_id')
        .selectAll('r')
        .where('a.payment_method_id', '=', q.paymentMethodId)
        .where('r.status', '=', 'succeeded')
        .where('r.updated_at', '>=', q.from)
        .where('r.updated_at', '<', q.to)
        .where('r.id', '>', q.afterId)
        .where((eb) => eb.not(eb.exists(lineNaming(ctx.db, q.runId, 'r.id'))))
        .orderBy('r.id')
        .limit(q.limit)
        .execute();
      return rows.map(refundFromRow);
    },
  };
}
