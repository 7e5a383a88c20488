import { formatDecimal } from '../domain/money.js';
import { fail, ok, type Result } from '../domain/result.js';
import { DEFAULT_CSV_MAPPING } from '../domain/report.js';
import { duplicateKey, matchReportLine } from '../domain/reconciliation.js';
import { dayWindow, type ReconciliationRun, type RunVia } from '../domain/reconciliation-run.js';
import type { Actor, NewTask, TaskKind } from '../domain/timeline.js';
import type { Connector } from '../ports/connector.js';
import type { ReportBatch, ReportSource } from '../ports/report-reader.js';

import type { PaymentMethodRecord } from '../domain/payment-method.js';
import type { ReportLineRecord } from '../domain/report-line.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { BATCH, RECORD_KIND, recordsFor, attemptOf, lineFields, emptyLine } from './reconcile-records.js';
import { reportMissing, internalChecks, summarize } from './reconcile-checks.js';

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

export async function getRun(deps: AppDeps, id: string): Promise<Result<ReconciliationRun>> {
  const run = await deps.storage.read.getRun(id);
  return run ? ok(run) : fail('reconciliation_run_not_found', `There is no reconciliation run ${id}.`);
}
