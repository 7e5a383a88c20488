import { normalizeReference, type Order, type PaymentAttempt } from '../domain/order.js';
import { formatDecimal } from '../domain/money.js';
import { fail, ok, type Result } from '../domain/result.js';
import { DEFAULT_CSV_MAPPING, type ReportLine, type ReportLineType } from '../domain/report.js';
import { duplicateKey, matchReportLine, type CurrencyTotals, type SettleRecord } from '../domain/reconciliation.js';
import {
  checkOrder,
  dayWindow,
  type ReconciliationRun,
  type RunSummary,
  type RunVia,
} from '../domain/reconciliation-run.js';
import type { Actor, NewTask, TaskKind } from '../domain/timeline.js';
import type { Connector } from '../ports/connector.js';
import type { ReportBatch, ReportSource } from '../ports/report-reader.js';
import type { PaymentMethodRecord, ReportLineRecord, StorageReads } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';

const BATCH = 1000;
const RECORD_KIND: Record<ReportLineType, SettleRecord['kind']> = {
  sale: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
};

export interface ImportInput {
  paymentMethodId: string;
  /** The day the report covers, YYYY-MM-DD (UTC). */
  date: string;
  source: ReportSource;
  via: RunVia;
}

export interface Imported {
  run: ReconciliationRun;
  /** The same file was imported before: its run is answered, nothing is counted again. */
  recognised: boolean;
}

/**
 * Reconciles one provider report with Settle. The report streams in batches; each batch's lines,
 * what each became and the tasks of its exceptions are committed together, so an import that
 * was killed goes on after the last committed line when the same file is imported again (it is
 * recognised by its hash), and a file imported once more after it completed changes nothing.
 * After the lines: Settle's payments and refunds of the day that no line named
 * (missing_in_report), then the day's internal checks.
 */
export async function importReport(deps: AppDeps, input: ImportInput, actor: Actor): Promise<Result<Imported>> {
  const day = dayWindow(input.date);
  if (!day) return fail('report_date_invalid', `${input.date} is not a date (YYYY-MM-DD).`);
  const pm = await deps.storage.read.getPaymentMethod(input.paymentMethodId);
  if (!pm) return fail('payment_method_not_found', `There is no payment method ${input.paymentMethodId}.`);
  const connector = deps.connectors.get(pm.connector);
  if (!connector)
    return fail(
      'connector_unknown',
      `Payment method ${pm.name} uses the connector ${pm.connector}, which this server does not have.`,
    );

  const at = nowIso(deps);
  let run = await deps.storage.read.findRunByFile(pm.id, input.source.hash);
  if (run?.status === 'completed') return ok({ run, recognised: true });
  if (run && run.reportDate !== input.date) {
    return fail(
      'report_date_mismatch',
      `This file was imported before as the report of ${run.reportDate}, not ${input.date}.`,
      { run_id: run.id },
    );
  }
  if (!run) {
    const fresh: ReconciliationRun = {
      id: deps.random.id('rec'),
      paymentMethodId: pm.id,
      reportDate: input.date,
      fileName: input.source.name,
      fileHash: input.source.hash,
      via: input.via,
      actor,
      status: 'running',
      error: null,
      summary: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
    };
    const inserted = await deps.storage.transaction((tx) => tx.insertRun(fresh));
    run = inserted ? fresh : await deps.storage.read.findRunByFile(pm.id, input.source.hash);
    if (!run) throw new Error('reconciliation run vanished');
  }
  const current = run;
  const done = await deps.storage.runExclusive(`reconcile:${current.id}`, () =>
    runImport(deps, current, pm, connector, input.source, day),
  );
  if (done === undefined)
    return fail('reconciliation_in_progress', `This report is being imported right now (run ${current.id}).`, {
      run_id: current.id,
    });
  return done;
}

async function runImport(
  deps: AppDeps,
  run: ReconciliationRun,
  pm: PaymentMethodRecord,
  connector: Connector<unknown>,
  source: ReportSource,
  day: { from: string; to: string },
): Promise<Result<Imported>> {
  const latest = await deps.storage.read.getRun(run.id);
  if (latest?.status === 'completed') return ok({ run: latest, recognised: true });
  await deps.storage.transaction((tx) =>
    tx.updateRun(run.id, { status: 'running', error: null, updatedAt: nowIso(deps) }),
  );
  const { last } = await deps.storage.read.reportLineBounds(run.id);
  const batches = connector.parseReport
    ? connector.parseReport(source.open())
    : deps.reports.read(source.open(), pm.reportMapping ?? DEFAULT_CSV_MAPPING, BATCH);
  try {
    for await (const batch of batches) {
      // Lines committed before an interruption are kept as they were: go on after them.
      const lines = batch.lines.filter((l) => l.lineNo > last);
      const errors = batch.errors.filter((e) => e.lineNo > last);
      if (lines.length + errors.length > 0) await importBatch(deps, run, pm, connector, { lines, errors });
    }
  } catch (err) {
    // The file as a whole cannot be read (no header, a mapped column missing, broken CSV). What
    // was committed stays; importing a corrected file is a new run.
    const message = err instanceof Error ? err.message : String(err);
    await deps.storage.transaction((tx) =>
      tx.updateRun(run.id, { status: 'failed', error: message, updatedAt: nowIso(deps) }),
    );
    return fail('report_unreadable', `The report could not be read: ${message}`, { run_id: run.id });
  }
  await reportMissing(deps, run, pm, day);
  await internalChecks(deps, run, day);
  const summary = await summarize(deps.storage.read, run.id);
  const doneAt = nowIso(deps);
  await deps.storage.transaction((tx) =>
    tx.updateRun(run.id, { status: 'completed', summary, completedAt: doneAt, updatedAt: doneAt }),
  );
  return ok({
    run: { ...run, status: 'completed', error: null, summary, completedAt: doneAt, updatedAt: doneAt },
    recognised: false,
  });
}

/** Matches one batch and commits its lines with the tasks of its exceptions. */
async function importBatch(
  deps: AppDeps,
  run: ReconciliationRun,
  pm: PaymentMethodRecord,
  connector: Connector<unknown>,
  batch: ReportBatch,
) {
  const reads = deps.storage.read;
  const norm = (ref: string) => connector.normalizeRef(ref);
  const keys = batch.lines.map((l) => duplicateKey(l, norm));
  const seen = new Set(await reads.findReportedDupKeys(run.id, [...new Set(keys)]));
  const records = await recordsFor(reads, pm.id, batch.lines, norm);

  const rows: ReportLineRecord[] = [];
  const tasks: NewTask[] = [];
  const reportLine = (lineNo: number) => `${run.id}:${lineNo}`;
  batch.lines.forEach((line, i) => {
    const key = keys[i]!;
    const row: ReportLineRecord = {
      ...lineFields(run.id, line),
      dupKey: key,
      outcome: 'matched',
      kind: null,
      recordId: null,
      orderId: null,
      message: null,
    };
    const candidates = records.candidates(line);
    if (seen.has(key)) {
      const first = candidates.find((c) => c.kind === RECORD_KIND[line.type]);
      row.outcome = 'exception';
      row.kind = 'duplicate_in_report';
      row.orderId = first?.orderId ?? null;
      row.message = `Report line ${line.lineNo}: ${line.type} ${line.providerRef ?? line.orderReference} (${formatDecimal(line.amount, line.currency)} ${line.currency}) appears in the report more than once.`;
    } else {
      const verdict = matchReportLine(line, candidates);
      const record = verdict.record;
      row.orderId = record?.orderId ?? null;
      // A line names a record only of its own kind: a refund line against a payment does not report that payment.
      row.recordId = record && record.kind === RECORD_KIND[line.type] ? record.id : null;
      if (verdict.outcome === 'exception') {
        row.outcome = 'exception';
        row.kind = verdict.kind;
        row.message = verdict.reason;
      }
    }
    seen.add(key);
    if (row.outcome === 'exception')
      tasks.push({
        kind: row.kind as TaskKind,
        reason: row.message!,
        orderId: row.orderId,
        attemptId: attemptOf(records, row),
        reportLine: reportLine(line.lineNo),
      });
    rows.push(row);
  });
  for (const e of batch.errors) {
    rows.push({
      ...emptyLine(run.id, e.lineNo),
      outcome: 'unreadable',
      kind: 'report_line_unreadable',
      message: e.message,
    });
    tasks.push({
      kind: 'report_line_unreadable',
      reason: `Report of ${run.reportDate}, ${e.message}`,
      orderId: null,
      reportLine: reportLine(e.lineNo),
    });
  }
  const at = nowIso(deps);
  await deps.storage.transaction(async (tx) => {
    await tx.insertReportLines(rows);
    await openTasks(deps, tx, tasks, at);
  });
}

/** Succeeded payments and refunds of the method on that day that no line of the report named. */
async function reportMissing(
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
async function internalChecks(deps: AppDeps, run: ReconciliationRun, day: { from: string; to: string }) {
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

async function summarize(reads: StorageReads, runId: string): Promise<RunSummary> {
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

interface BatchRecords {
  candidates(line: ReportLine): SettleRecord[];
  attemptOfRecord(id: string): string | null;
}

/**
 * Settle's side of a batch in a few queries: the payments and refunds its provider references
 * name, the orders its order references name, and every payment, refund and chargeback of those
 * orders. A line's candidates are the records of its own reference, or else all its order's.
 */
async function recordsFor(
  reads: StorageReads,
  paymentMethodId: string,
  lines: readonly ReportLine[],
  norm: (ref: string) => string,
): Promise<BatchRecords> {
  const refs = [...new Set(lines.flatMap((l) => (l.providerRef ? [l.providerRef] : [])))];
  const refsNorm = [...new Set(refs.map(norm))];
  const orderRefs = [
    ...new Set(lines.flatMap((l) => (l.orderReference ? [normalizeReference(l.orderReference)] : []))),
  ];
  const [byRef, refundsByRef, byReference] = await Promise.all([
    reads.findAttemptsByProviderRefs(paymentMethodId, refsNorm),
    reads.findRefundsByProviderRefs(refs),
    reads.findOrdersByReferences(orderRefs),
  ]);
  const orderIdByRef = new Map<string, string>();
  for (const a of byRef) orderIdByRef.set(norm(a.providerRef), a.orderId);
  for (const r of refundsByRef) if (r.providerRef) orderIdByRef.set(norm(r.providerRef), r.orderId);
  const orderIdByReference = new Map(byReference.map((o) => [normalizeReference(o.reference), o.id]));
  const known = new Map<string, Order>(byReference.map((o) => [o.id, o]));
  const missing = [...new Set(orderIdByRef.values())].filter((id) => !known.has(id));
  for (const o of await reads.getOrders(missing)) known.set(o.id, o);
  const ids = [...known.keys()];
  const attempts = await reads.listAttemptsForOrders(ids);
  const { refunds, chargebacks } = await reads.listOrderRecords(ids);

  const byOrder = new Map<string, SettleRecord[]>();
  const attemptOf = new Map<string, string>();
  const add = (r: SettleRecord, attemptId: string) => {
    attemptOf.set(r.id, attemptId);
    const list = byOrder.get(r.orderId) ?? [];
    list.push(r);
    byOrder.set(r.orderId, list);
  };
  for (const [orderId, list] of attempts) {
    const reference = known.get(orderId)!.reference;
    for (const a of list as PaymentAttempt[])
      add(
        {
          kind: 'payment',
          id: a.id,
          orderId,
          orderReference: reference,
          providerRef: a.providerRef,
          amount: a.amount,
          currency: a.currency,
          status: a.status,
        },
        a.id,
      );
  }
  for (const r of refunds)
    add(
      {
        kind: 'refund',
        id: r.id,
        orderId: r.orderId,
        orderReference: known.get(r.orderId)!.reference,
        providerRef: r.providerRef,
        amount: r.amount,
        currency: r.currency,
        status: r.status,
      },
      r.attemptId,
    );
  for (const c of chargebacks)
    add(
      {
        kind: 'chargeback',
        id: c.id,
        orderId: c.orderId,
        orderReference: known.get(c.orderId)!.reference,
        providerRef: c.providerRef,
        amount: c.amount,
        currency: c.currency,
        status: c.status,
      },
      c.attemptId,
    );

  return {
    candidates(line) {
      const ref = line.providerRef ? norm(line.providerRef) : null;
      const orderId =
        (ref && orderIdByRef.get(ref)) ||
        (line.orderReference ? orderIdByReference.get(normalizeReference(line.orderReference)) : undefined);
      const all = orderId ? (byOrder.get(orderId) ?? []) : [];
      const own = ref
        ? all.filter((r) => r.kind === RECORD_KIND[line.type] && r.providerRef !== null && norm(r.providerRef) === ref)
        : [];
      return own.length > 0 ? own : all;
    },
    attemptOfRecord: (id) => attemptOf.get(id) ?? null,
  };
}

function attemptOf(records: BatchRecords, row: ReportLineRecord): string | null {
  return row.recordId ? records.attemptOfRecord(row.recordId) : null;
}

function lineFields(runId: string, l: ReportLine) {
  return {
    runId,
    lineNo: l.lineNo,
    providerRef: l.providerRef,
    orderReference: l.orderReference,
    type: l.type,
    amount: l.amount,
    currency: l.currency,
    status: l.status,
    at: l.at,
    fee: l.fee,
  };
}

function emptyLine(runId: string, lineNo: number) {
  return {
    runId,
    lineNo,
    providerRef: null,
    orderReference: null,
    type: null,
    amount: null,
    currency: null,
    status: null,
    at: null,
    fee: null,
    dupKey: null,
    kind: null,
    recordId: null,
    orderId: null,
    message: null,
  };
}

export async function getRun(deps: AppDeps, id: string): Promise<Result<ReconciliationRun>> {
  const run = await deps.storage.read.getRun(id);
  return run ? ok(run) : fail('reconciliation_run_not_found', `There is no reconciliation run ${id}.`);
}
