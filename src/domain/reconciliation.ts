import { isCurrency } from './currency.js';
import { formatDecimal, isMinorAmount } from './money.js';
import type { ReportLine, ReportLineStatus, ReportLineType } from './report.js';
import { fail, ok, type Result } from './result.js';

/** What a report line that does not agree with Settle becomes: a task of one of these kinds. */
export const RECONCILIATION_TASK_KINDS = [
  'missing_in_settle',
  'missing_in_report',
  'amount_mismatch',
  'currency_mismatch',
  'status_mismatch',
  'duplicate_in_report',
  'refund_mismatch',
] as const;
export type ReconciliationTaskKind = (typeof RECONCILIATION_TASK_KINDS)[number];

/** Checks a run makes of Settle's own records, without the report. */
export const INTERNAL_CHECK_KINDS = [
  'receipt_missing',
  'refund_receipt_missing',
  'canceled_not_refunded',
  'delivered_not_paid',
  'paid_twice',
] as const;
export type InternalCheckKind = (typeof INTERNAL_CHECK_KINDS)[number];

export type SettleRecordKind = 'payment' | 'refund' | 'chargeback';

/** A payment attempt, refund or chargeback as the matcher sees it. */
export interface SettleRecord {
  kind: SettleRecordKind;
  id: string;
  orderId: string;
  orderReference: string;
  providerRef: string | null;
  amount: number;
  currency: string;
  /** payment: created|pending|authorized|failed|canceled|expired|succeeded; refund: requested|succeeded|failed|manual; chargeback: opened|won|lost */
  status: string;
}

/** The kinds matchReportLine gives; missing_in_report and duplicate_in_report are found across a whole run. */
export type MatchExceptionKind = Exclude<ReconciliationTaskKind, 'missing_in_report' | 'duplicate_in_report'>;

export type LineVerdict =
  | { outcome: 'matched'; record: SettleRecord }
  | { outcome: 'exception'; kind: MatchExceptionKind; reason: string; record?: SettleRecord };

const RECORD_KIND: Record<ReportLineType, SettleRecordKind> = {
  sale: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
};

/** Which report statuses agree with each Settle status; a status not listed agrees with none. */
const AGREEING: Record<SettleRecordKind, Record<string, readonly ReportLineStatus[]>> = {
  // authorized is not money taken yet, so a report that says succeeded disagrees with it.
  payment: {
    created: ['pending'],
    pending: ['pending'],
    authorized: ['pending'],
    failed: ['failed'],
    canceled: ['failed'],
    expired: ['failed'],
    succeeded: ['succeeded'],
  },
  refund: { requested: ['pending'], succeeded: ['succeeded'], manual: ['succeeded'], failed: ['failed'] },
  // The bank debits when a dispute opens, so an open one agrees with a report that shows it pending or
  // taken; lost means the debit stands; won means it was reversed, i.e. the chargeback did not go through.
  chargeback: { opened: ['pending', 'succeeded'], lost: ['succeeded'], won: ['failed'] },
};

export function statusAgrees(status: ReportLineStatus, record: SettleRecord): boolean {
  const table = AGREEING[record.kind];
  return Object.hasOwn(table, record.status) && (table[record.status]?.includes(status) ?? false);
}

const money = (amount: number, currency: string): string =>
  isCurrency(currency) && Number.isSafeInteger(amount)
    ? `${formatDecimal(amount, currency)} ${currency}`
    : `${amount} minor units of ${currency}`;

const subject = (line: ReportLine): string =>
  `Report line ${line.lineNo}: ${line.type} ${line.providerRef ?? line.orderReference ?? '(no reference)'}`;

/**
 * Compares one report line with what Settle holds for its reference. `candidates` are the records
 * found by the line's provider reference or, failing that, its order reference (the app passes the
 * order's payments, refunds and chargebacks together). Of several same-kind candidates, one that
 * agrees in currency, then amount, then status is preferred; the first difference found is the verdict.
 *
 * With no record of the line's kind: a refund line on an order whose payment Settle knows is a
 * refund_mismatch (the money went back without Settle recording it); anything else is
 * missing_in_settle, linked to another record of the order when there is one.
 */
export function matchReportLine(line: ReportLine, candidates: readonly SettleRecord[]): LineVerdict {
  const kind = RECORD_KIND[line.type];
  const same = candidates.filter((c) => c.kind === kind);
  const best = pickBest(line, same);
  if (!best) {
    const payment = candidates.find((c) => c.kind === 'payment');
    const related = payment ?? candidates[0];
    const what = `${subject(line)} (${money(line.amount, line.currency)}, ${line.status})`;
    if (line.type === 'refund' && payment) {
      return {
        outcome: 'exception',
        kind: 'refund_mismatch',
        reason: `${what} has no refund in Settle; Settle has the payment of order ${payment.orderReference}.`,
        record: payment,
      };
    }
    const where = related ? ` on order ${related.orderReference}` : '';
    const verdict: LineVerdict = {
      outcome: 'exception',
      kind: 'missing_in_settle',
      reason: `${what}: Settle has no ${kind}${where}.`,
    };
    return related ? { ...verdict, record: related } : verdict;
  }
  if (best.currency !== line.currency) {
    return exception(
      line,
      best,
      'currency_mismatch',
      `is ${money(line.amount, line.currency)}, Settle's ${kind} is ${money(best.amount, best.currency)}.`,
    );
  }
  if (best.amount !== line.amount) {
    const mismatch = line.type === 'refund' ? 'refund_mismatch' : 'amount_mismatch';
    return exception(
      line,
      best,
      mismatch,
      `is ${money(line.amount, line.currency)}, Settle's ${kind} is ${money(best.amount, best.currency)}.`,
    );
  }
  if (!statusAgrees(line.status, best)) {
    return exception(
      line,
      best,
      'status_mismatch',
      `is ${line.status} in the report, Settle's ${kind} is ${best.status}.`,
    );
  }
  return { outcome: 'matched', record: best };
}

function exception(line: ReportLine, record: SettleRecord, kind: MatchExceptionKind, says: string): LineVerdict {
  return { outcome: 'exception', kind, reason: `${subject(line)} ${says}`, record };
}

function pickBest(line: ReportLine, records: readonly SettleRecord[]): SettleRecord | undefined {
  let best: SettleRecord | undefined;
  let bestScore = -1;
  for (const r of records) {
    const score =
      (r.currency === line.currency ? 4 : 0) +
      (r.amount === line.amount ? 2 : 0) +
      (statusAgrees(line.status, r) ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  return best;
}

/**
 * The key under which a run spots the same line twice (duplicate_in_report): type and provider
 * reference; refunds and chargebacks add the amount, because some providers list every partial
 * refund under the payment's reference. Without a provider reference: type, order reference
 * (case-insensitive, as Settle's are) and amount. `normalizeRef` is the connector's.
 */
export function duplicateKey(line: ReportLine, normalizeRef: (ref: string) => string = (ref) => ref): string {
  if (line.providerRef !== null) {
    const ref = normalizeRef(line.providerRef);
    return JSON.stringify(
      line.type === 'sale' ? [line.type, 'ref', ref] : [line.type, 'ref', ref, line.amount, line.currency],
    );
  }
  if (line.orderReference !== null)
    return JSON.stringify([line.type, 'order', line.orderReference.toLowerCase(), line.amount, line.currency]);
  return JSON.stringify([line.type, 'line', line.lineNo]);
}

export interface CurrencyTotals {
  sales: number;
  refunds: number;
  chargebacks: number;
  fees: number;
  /** sales − refunds − chargebacks − fees; may be negative. */
  net: number;
}

/** Sums of a run's succeeded lines, per currency, in minor units. */
export type RunTotals = Readonly<Record<string, Readonly<CurrencyTotals>>>;

export const EMPTY_TOTALS: RunTotals = Object.freeze({});

const ZERO: CurrencyTotals = { sales: 0, refunds: 0, chargebacks: 0, fees: 0, net: 0 };
const FIELD: Record<ReportLineType, 'sales' | 'refunds' | 'chargebacks'> = {
  sale: 'sales',
  refund: 'refunds',
  chargeback: 'chargebacks',
};

/**
 * Adds a succeeded line to the totals (others change nothing) and returns new totals. Sales and
 * what goes out (refunds + chargebacks + fees) must each stay safe integers; both only grow, so
 * whether a set of lines fits does not depend on their order.
 */
export function addToTotals(totals: RunTotals, line: ReportLine): Result<RunTotals> {
  if (line.status !== 'succeeded') return ok(totals);
  if (!isCurrency(line.currency))
    return fail('report_totals_invalid', `Line ${line.lineNo}: ${line.currency} is not a currency.`);
  if (!isMinorAmount(line.amount) || !isMinorAmount(line.fee)) {
    return fail(
      'report_totals_invalid',
      `Line ${line.lineNo}: amount and fee must be whole minor units, not negative.`,
    );
  }
  const cur = Object.hasOwn(totals, line.currency) ? totals[line.currency]! : ZERO;
  const field = FIELD[line.type];
  const next = { ...cur, [field]: cur[field] + line.amount, fees: cur.fees + line.fee };
  const out = next.refunds + next.chargebacks + next.fees;
  if (!Number.isSafeInteger(next.sales) || !Number.isSafeInteger(out)) {
    return fail(
      'report_totals_overflow',
      `Line ${line.lineNo}: the ${line.currency} totals are too large to add up exactly.`,
    );
  }
  next.net = next.sales - out;
  return ok({ ...totals, [line.currency]: next });
}
