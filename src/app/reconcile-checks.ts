// The run's own checks once the report is read: what the report left out, what Settle itself
// finds wrong that day, and the run's summary.
import { formatDecimal } from '../domain/money.js';
import { type CurrencyTotals } from '../domain/reconciliation.js';
import { checkOrder, type ReconciliationRun, type RunSummary } from '../domain/reconciliation-run.js';
import type { NewTask } from '../domain/timeline.js';
import type { StorageReads } from '../ports/storage.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { emptyLine } from './reconcile-records.js';
import { BATCH } from './reconcile-records.js';

/** Succeeded payments and refunds of the method on that day that no line of the report named. */
export async function reportMissing(
  deps: AppDeps,
  run: ReconciliationRun,
  pm: PaymentMethodRecord,
  day: { from: string; to: string },
) {
  const reads = deps.storage.read;
  for (const kind of ['payment', 'refund'] as const) {
    let afterId = '';
    for (;;) {
      const q = { paymentMethodId: pm.id, runId: run.id, ...day, afterId, limit: BATCH };
      const found = kind === 'payment' ? await reads.listUnreportedPayments(q) : await reads.listUnreportedRefunds(q);
      if (found.length === 0) break;
      afterId = found.at(-1)!.id;
      const orders = new Map((await reads.getOrders([...new Set(found.map((r) => r.orderId))])).map((o) => [o.id, o]));
      await recordFindings(
        deps,
        run,
        found.map((r) => {
          const ref = 'providerRef' in r && r.providerRef ? r.providerRef : r.id;
          const reference = orders.get(r.orderId)?.reference ?? r.orderId;
          return {
            recordId: r.id,
            task: {
              kind: 'missing_in_report',
              reason: `Settle's ${kind} ${ref} of ${formatDecimal(r.amount, r.currency)} ${r.currency} on order ${reference} (succeeded ${r.updatedAt}) is not in the report of ${run.reportDate}.`,
              orderId: r.orderId,
              attemptId: 'attemptId' in r ? r.attemptId : r.id,
            },
          };
        }),
      );
    }
  }
}

/** The day's internal checks: each finding is a task unless one of its kind is open for the order. */
export async function internalChecks(deps: AppDeps, run: ReconciliationRun, day: { from: string; to: string }) {
  const reads = deps.storage.read;
  let after: { updatedAt: string; id: string } | null = null;
  for (;;) {
    const orders = await reads.listOrdersChangedBetween({ ...day, after, limit: BATCH });
    if (orders.length === 0) break;
    after = { updatedAt: orders.at(-1)!.updatedAt, id: orders.at(-1)!.id };
    const ids = orders.map((o) => o.id);
    const attempts = await reads.listAttemptsForOrders(ids);
    const { refunds, receipts, openTasks: open } = await reads.listOrderRecords(ids);
    const checked = new Set(
      await reads.findReportedRecords(
        run.id,
        ids.flatMap((id) => CHECK_KINDS.map((k) => `${id}:${k}`)),
      ),
    );
    const findings: { recordId: string; task: NewTask }[] = [];
    for (const order of orders) {
      const openKinds = new Set(open.filter((t) => t.orderId === order.id).map((t) => t.kind));
      const found = checkOrder({
        order,
        attempts: attempts.get(order.id) ?? [],
        refunds: refunds.filter((r) => r.orderId === order.id),
        receipts: receipts.filter((r) => r.orderId === order.id),
        fiscalOn: deps.fiscal !== null,
      });
      for (const f of found) {
        const recordId = `${order.id}:${f.kind}`;
        if (
          checked.has(recordId) ||
          openKinds.has(f.kind) ||
          (f.kind === 'paid_twice' && openKinds.has('double_payment'))
        )
          continue;
        findings.push({
          recordId,
          task: {
            kind: f.kind,
            reason: `${f.reason} (check of ${run.reportDate})`,
            orderId: order.id,
            attemptId: f.attemptId ?? null,
          },
        });
      }
    }
    await recordFindings(deps, run, findings);
  }
}

const CHECK_KINDS = [
  'receipt_missing',
  'refund_receipt_missing',
  'canceled_not_refunded',
  'delivered_not_paid',
  'paid_twice',
] as const;

/**
 * Findings of the run's own checks are kept as lines below zero, each naming what it is about,
 * so a run that is resumed does not find (and task) them twice.
 */
async function recordFindings(
  deps: AppDeps,
  run: ReconciliationRun,
  findings: readonly { recordId: string; task: NewTask }[],
) {
  if (findings.length === 0) return;
  const at = nowIso(deps);
  await deps.storage.transaction(async (tx) => {
    let { first } = await tx.reportLineBounds(run.id);
    const rows = findings.map((f) => ({
      ...emptyLine(run.id, --first),
      outcome: 'exception' as const,
      kind: f.task.kind,
      recordId: f.recordId,
      orderId: f.task.orderId,
      message: f.task.reason,
    }));
    await tx.insertReportLines(rows);
    await openTasks(
      deps,
      tx,
      findings.map((f, i) => ({ ...f.task, reportLine: `${run.id}:${rows[i]!.lineNo}` })),
      at,
    );
  });
}

export async function summarize(reads: StorageReads, runId: string): Promise<RunSummary> {
  const t = await reads.reportLineTotals(runId);
  const totals: Record<string, CurrencyTotals> = {};
  for (const s of t.sums) {
    const cur = (totals[s.currency] ??= { sales: 0, refunds: 0, chargebacks: 0, fees: 0, net: 0 });
    if (s.type === 'sale') cur.sales += s.amount;
    else if (s.type === 'refund') cur.refunds += s.amount;
    else if (s.type === 'chargeback') cur.chargebacks += s.amount;
    cur.fees += s.fee;
  }
  for (const cur of Object.values(totals)) cur.net = cur.sales - cur.refunds - cur.chargebacks - cur.fees;
  const matched = t.outcomes.matched ?? 0;
  const unreadable = t.outcomes.unreadable ?? 0;
  return {
    lines: matched + (t.outcomes.exception ?? 0) + unreadable,
    matched,
    unreadable,
    exceptions: t.kinds,
    totals,
  };
}
