import { currencyExponent, isCurrency } from './currency.js';
import { parseDecimal } from './money.js';
import { fail, ok, type Result } from './result.js';
import {
  length,
  normalizeValue,
  show,
  statusLookup,
  typeLookup,
  type CsvField,
  type CsvMapping,
} from './csv-mapping.js';
import type { ReportLine } from './report-line-kinds.js';

// What importers of a provider report need, in one place: the line's kinds, the CSV mapping and
// the reading of a record.
export * from './report-line-kinds.js';
export {
  CSV_FIELDS,
  CSV_MAPPING_SCHEMA,
  DEFAULT_CSV_MAPPING,
  DEFAULT_STATUS_VALUES,
  DEFAULT_TYPE_VALUES,
  parseCsvMapping,
  type CsvField,
  type CsvMapping,
} from './csv-mapping.js';

/** Longest reference kept from a report cell; longer ones are refused rather than cut. */
const REF_MAX = 256;

// mark that is not the decimal separator; one number uses one kind of mark. The sign may only lead.
const AMOUNT = {
  '.': /^([-+]?)(\d+|\d{1,3}([\p{Zs}',’])\d{3}(?:\3\d{3})*)(?:\.(\d+))?$/u,
  ',': /^([-+]?)(\d+|\d{1,3}([\p{Zs}'.’])\d{3}(?:\3\d{3})*)(?:,(\d+))?$/u,
} as const;

type AmountReading = { ok: true; minor: number } | { ok: false; problem: string };

/** Reads a report's decimal exactly into signed minor units of `currency` (which must be known). */
export function readReportAmount(text: string, currency: string, decimalSeparator: '.' | ',' = '.'): AmountReading {
  const t = text.trim();
  const m = t.length <= 64 ? AMOUNT[decimalSeparator].exec(t) : null;
  if (!m) return { ok: false, problem: `${show(text)} is not a decimal amount` };
  const whole = m[2]!.replace(/\D/gu, '');
  const frac = m[4] ?? '';
  const minor = parseDecimal(frac ? `${whole}.${frac}` : whole, currency);
  if (minor === undefined) {
    const exp = currencyExponent(currency);
    return frac.replace(/0+$/u, '').length > exp
      ? { ok: false, problem: `${show(text)} has more decimals than ${currency} has (${exp})` }
      : { ok: false, problem: `${show(text)} is too large` };
  }
  return { ok: true, minor: m[1] === '-' ? -minor : minor };
}

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?)?$/iu;

/** ISO 8601 date or date-time; one without a zone is read as UTC, so the result never depends on the machine. */
export function readReportTime(text: string): string | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  if (y < 100) utc.setUTCFullYear(y); // Date.UTC reads years 0-99 as 1900-1999
  return new Date(utc.getTime() - offset * 60_000).toISOString();
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Reads one CSV record (header cell → value) into a report line, or says what is wrong with it,
 * naming the line and the column. Never throws, whatever the record holds.
 */
export function readReportRecord(
  record: Record<string, string>,
  mapping: CsvMapping,
  lineNo: number,
): Result<ReportLine> {
  const line = readLine(record, mapping, lineNo);
  return typeof line === 'string' ? fail('report_line_invalid', `Line ${lineNo}: ${line}`, { lineNo }) : ok(line);
}

/** The trimmed cell; null when the mapping names no column for it; undefined when the record lacks the column. */
function cellOf(record: Record<string, string>, header: string | undefined): string | null | undefined {
  if (header === undefined) return null;
  const v = Object.hasOwn(record, header) ? record[header] : undefined;
  return typeof v === 'string' ? v.trim() : undefined;
}

const missing = (mapping: CsvMapping, field: CsvField): string =>
  `the record has no column "${mapping.columns[field]}" (${field}).`;

// Returns the problem as a string rather than building closures: this runs once per report line.
function readLine(record: Record<string, string>, mapping: CsvMapping, lineNo: number): ReportLine | string {
  const cols = mapping.columns;
  const typeText = cellOf(record, cols.type);
  if (typeText === undefined || typeText === null) return missing(mapping, 'type');
  const types = typeLookup(mapping).map;
  const type = types.get(normalizeValue(typeText));
  if (!type) return `type ${show(typeText)} in column "${cols.type}" is not one of ${[...types.keys()].join(', ')}.`;

  const statusText = cellOf(record, cols.status);
  if (statusText === undefined || statusText === null) return missing(mapping, 'status');
  const statuses = statusLookup(mapping).map;
  const status = statuses.get(normalizeValue(statusText));
  if (!status)
    return `status ${show(statusText)} in column "${cols.status}" is not one of ${[...statuses.keys()].join(', ')}.`;

  const currencyText = cellOf(record, cols.currency);
  if (currencyText === undefined || currencyText === null) return missing(mapping, 'currency');
  const currency = currencyText.toUpperCase();
  if (!/^[A-Z]{3}$/u.test(currency) || !isCurrency(currency))
    return `currency ${show(currencyText)} in column "${cols.currency}" is not a known ISO 4217 code.`;

  const sep = mapping.decimal_separator === ',' ? ',' : '.';
  const amountText = cellOf(record, cols.amount);
  if (amountText === undefined || amountText === null) return missing(mapping, 'amount');
  const amount = readReportAmount(amountText, currency, sep);
  if (!amount.ok) return `amount in column "${cols.amount}": ${amount.problem}.`;
  if (amount.minor < 0 && type === 'sale')
    return `amount ${show(amountText)} in column "${cols.amount}" is negative on a sale.`;
  // Providers write refunds and chargebacks with either sign; the type already says which way the money went.
  const minor = Math.abs(amount.minor);
  if (minor === 0) return `amount ${show(amountText)} in column "${cols.amount}" is zero.`;

  const providerRef = cellOf(record, cols.provider_ref);
  if (providerRef === undefined) return missing(mapping, 'provider_ref');
  const orderReference = cellOf(record, cols.order_reference);
  if (orderReference === undefined) return missing(mapping, 'order_reference');
  for (const [field, v] of [
    ['provider_ref', providerRef],
    ['order_reference', orderReference],
  ] as const) {
    if (v !== null && v.length > REF_MAX && length(v) > REF_MAX)
      return `${field} in column "${cols[field]}" is longer than ${REF_MAX} characters.`;
  }
  if (!providerRef && !orderReference) return 'the line has neither a provider reference nor an order reference.';

  const timeText = cellOf(record, cols.time);
  if (timeText === undefined) return missing(mapping, 'time');
  const at = timeText === null || timeText === '' ? null : readReportTime(timeText);
  if (at === undefined)
    return `time ${show(timeText ?? '')} in column "${cols.time}" is not an ISO 8601 date and time.`;

  const feeText = cellOf(record, cols.fee);
  if (feeText === undefined) return missing(mapping, 'fee');
  let fee = 0;
  if (feeText !== null && feeText !== '') {
    const f = readReportAmount(feeText, currency, sep);
    if (!f.ok) return `fee in column "${cols.fee}": ${f.problem}.`;
    // Some providers write fees as negative numbers: a fee is always a cost to the shop.
    fee = Math.abs(f.minor);
  }

  return {
    lineNo,
    providerRef: providerRef || null,
    orderReference: orderReference || null,
    type,
    amount: minor,
    currency,
    status,
    at,
    fee,
  };
}
