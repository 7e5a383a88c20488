import { currencyExponent, isCurrency } from './currency.js';
import { parseDecimal } from './money.js';
import { fail, ok, type Result } from './result.js';

export const REPORT_LINE_TYPES = ['sale', 'refund', 'chargeback'] as const;
export type ReportLineType = (typeof REPORT_LINE_TYPES)[number];
export const REPORT_LINE_STATUSES = ['succeeded', 'failed', 'pending'] as const;
export type ReportLineStatus = (typeof REPORT_LINE_STATUSES)[number];

/** One line of a provider's report, read exactly: money in minor units, never a float. */
export interface ReportLine {
  /** The line in the file (the header is line 1). */
  lineNo: number;
  providerRef: string | null;
  orderReference: string | null;
  type: ReportLineType;
  /** Minor units, more than zero: the sign is carried by `type`. */
  amount: number;
  /** Upper-case ISO 4217. */
  currency: string;
  status: ReportLineStatus;
  /** ISO 8601 in UTC, or null when the report has no time for the line. */
  at: string | null;
  /** Minor units of `currency`, 0 when absent; always counted as a cost. */
  fee: number;
}

export const CSV_FIELDS = [
  'provider_ref',
  'order_reference',
  'type',
  'amount',
  'currency',
  'status',
  'time',
  'fee',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Which header cell holds each field, and how the provider writes types, statuses and numbers. */
export interface CsvMapping {
  columns: {
    provider_ref?: string;
    order_reference?: string;
    type: string;
    amount: string;
    currency: string;
    status: string;
    time?: string;
    fee?: string;
  };
  /** A list given for a type replaces that type's default list. */
  type_values?: Partial<Record<ReportLineType, string[]>>;
  status_values?: Partial<Record<ReportLineStatus, string[]>>;
  delimiter?: string;
  decimal_separator?: '.' | ',';
}

export const DEFAULT_TYPE_VALUES: Readonly<Record<ReportLineType, readonly string[]>> = {
  sale: ['sale', 'payment', 'purchase'],
  refund: ['refund'],
  chargeback: ['chargeback', 'dispute'],
};

export const DEFAULT_STATUS_VALUES: Readonly<Record<ReportLineStatus, readonly string[]>> = {
  succeeded: ['succeeded', 'success', 'executed', 'settled', 'ok'],
  failed: ['failed', 'declined', 'error'],
  pending: ['pending', 'opened'],
};

export const DEFAULT_CSV_MAPPING: CsvMapping = {
  columns: {
    provider_ref: 'provider_ref',
    order_reference: 'order_reference',
    type: 'type',
    amount: 'amount',
    currency: 'currency',
    status: 'status',
    time: 'time',
    fee: 'fee',
  },
};

const HEADER_MAX = 128;
const VALUE_MAX = 64;
const VALUES_MAX = 32;
/** Longest reference kept from a report cell; longer ones are refused rather than cut. */
const REF_MAX = 256;

const headerSchema = (description: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: HEADER_MAX,
  pattern: '\\S',
  description,
});
const valuesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: VALUES_MAX,
  items: { type: 'string', minLength: 1, maxLength: VALUE_MAX, pattern: '\\S' },
};
const listsSchema = (keys: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, valuesSchema])),
});

/** Draft-07 schema of a payment method's `report_mapping` setting; parseCsvMapping checks the rest. */
export const CSV_MAPPING_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  title: 'Report mapping',
  description: "How to read the provider's daily CSV report: which header cell holds each field.",
  properties: {
    columns: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'amount', 'currency', 'status'],
      // The `properties` repeat only to keep Ajv's strictRequired mode quiet.
      anyOf: [
        { required: ['provider_ref'], properties: { provider_ref: true } },
        { required: ['order_reference'], properties: { order_reference: true } },
      ],
      properties: {
        provider_ref: headerSchema("The provider's transaction id."),
        order_reference: headerSchema("The store's order number."),
        type: headerSchema('Sale, refund or chargeback.'),
        amount: headerSchema('The amount as a decimal.'),
        currency: headerSchema('The ISO 4217 code.'),
        status: headerSchema('Succeeded, failed or pending.'),
        time: headerSchema('When, as ISO 8601; without a zone it is read as UTC.'),
        fee: headerSchema("The provider's fee, in the line's currency."),
      },
    },
    type_values: listsSchema(REPORT_LINE_TYPES),
    status_values: listsSchema(REPORT_LINE_STATUSES),
    delimiter: { type: 'string', minLength: 1, maxLength: 1, pattern: '^[^"\\r\\n]$', default: ',' },
    decimal_separator: { type: 'string', enum: ['.', ','], default: '.' },
  },
};

const normalizeValue = (v: string): string => v.trim().toLowerCase();
const length = (s: string): number => [...s].length;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A cell value as it may appear in a message: quoted, cut short. */
const show = (v: string): string => JSON.stringify(length(v) > 40 ? `${[...v].slice(0, 40).join('')}…` : v);

/** Validates a mapping beyond the schema (or without it) and returns a copy; values may not name two types or two statuses. */
export function parseCsvMapping(input: unknown): Result<CsvMapping> {
  const bad = (message: string) => fail('report_mapping_invalid', `report_mapping: ${message}`);
  if (!isObject(input)) return bad('must be an object.');
  for (const key of Object.keys(input)) {
    if (!['columns', 'type_values', 'status_values', 'delimiter', 'decimal_separator'].includes(key))
      return bad(`unknown field ${show(key)}.`);
  }
  const cols = input.columns;
  if (!isObject(cols)) return bad('columns must be an object.');
  const columns: Record<string, string> = {};
  for (const [key, value] of Object.entries(cols)) {
    if (!(CSV_FIELDS as readonly string[]).includes(key)) return bad(`columns has an unknown field ${show(key)}.`);
    if (typeof value !== 'string' || value.trim() === '' || length(value) > HEADER_MAX) {
      return bad(`columns.${key} must be a header name of 1 to ${HEADER_MAX} characters.`);
    }
    columns[key] = value.trim();
  }
  for (const required of ['type', 'amount', 'currency', 'status']) {
    if (!columns[required]) return bad(`columns.${required} is required.`);
  }
  if (!columns.provider_ref && !columns.order_reference)
    return bad('columns needs provider_ref or order_reference, or both.');

  const types = readLists(input.type_values, REPORT_LINE_TYPES, 'type_values');
  if (typeof types === 'string') return bad(types);
  const statuses = readLists(input.status_values, REPORT_LINE_STATUSES, 'status_values');
  if (typeof statuses === 'string') return bad(statuses);

  const mapping: CsvMapping = { columns: columns as CsvMapping['columns'] };
  if (types) mapping.type_values = types;
  if (statuses) mapping.status_values = statuses;
  for (const [field, lookup] of [
    ['type_values', typeLookup(mapping)],
    ['status_values', statusLookup(mapping)],
  ] as const) {
    if (lookup.clash) return bad(`${field}: ${show(lookup.clash)} is listed under two names.`);
  }
  if (input.delimiter !== undefined) {
    if (typeof input.delimiter !== 'string' || !/^[^"\r\n]$/u.test(input.delimiter))
      return bad('delimiter must be one character, not a quote or a line break.');
    mapping.delimiter = input.delimiter;
  }
  if (input.decimal_separator !== undefined) {
    if (input.decimal_separator !== '.' && input.decimal_separator !== ',')
      return bad('decimal_separator must be "." or ",".');
    mapping.decimal_separator = input.decimal_separator;
  }
  return ok(mapping);
}

function readLists<K extends string>(
  input: unknown,
  keys: readonly K[],
  field: string,
): Partial<Record<K, string[]>> | undefined | string {
  if (input === undefined) return undefined;
  if (!isObject(input)) return `${field} must be an object.`;
  const out: Partial<Record<K, string[]>> = {};
  for (const [key, list] of Object.entries(input)) {
    if (!(keys as readonly string[]).includes(key)) return `${field} has an unknown field ${show(key)}.`;
    if (!Array.isArray(list) || list.length < 1 || list.length > VALUES_MAX)
      return `${field}.${key} must be a list of 1 to ${VALUES_MAX} values.`;
    for (const v of list) {
      if (typeof v !== 'string' || v.trim() === '' || length(v) > VALUE_MAX)
        return `${field}.${key} values must be 1 to ${VALUE_MAX} characters long.`;
    }
    out[key as K] = [...(list as string[])];
  }
  return out;
}

interface Lookup<K> {
  map: Map<string, K>;
  /** A value listed under two keys, if any; the first key wins when reading. */
  clash?: string;
}

function buildLookup<K extends string>(
  keys: readonly K[],
  lists: Partial<Record<K, string[]>> | undefined,
  defaults: Readonly<Record<K, readonly string[]>>,
): Lookup<K> {
  const lookup: Lookup<K> = { map: new Map() };
  for (const key of keys) {
    for (const raw of lists?.[key] ?? defaults[key]) {
      const v = normalizeValue(raw);
      const seen = lookup.map.get(v);
      if (seen === undefined) lookup.map.set(v, key);
      else if (seen !== key) lookup.clash ??= raw;
    }
  }
  return lookup;
}

// Built once per mapping object: a report reads the same mapping for every line.
const typeLookups = new WeakMap<CsvMapping, Lookup<ReportLineType>>();
const statusLookups = new WeakMap<CsvMapping, Lookup<ReportLineStatus>>();

function typeLookup(mapping: CsvMapping): Lookup<ReportLineType> {
  let l = typeLookups.get(mapping);
  if (!l) typeLookups.set(mapping, (l = buildLookup(REPORT_LINE_TYPES, mapping.type_values, DEFAULT_TYPE_VALUES)));
  return l;
}

function statusLookup(mapping: CsvMapping): Lookup<ReportLineStatus> {
  let l = statusLookups.get(mapping);
  if (!l)
    statusLookups.set(mapping, (l = buildLookup(REPORT_LINE_STATUSES, mapping.status_values, DEFAULT_STATUS_VALUES)));
  return l;
}

// Digit groups of three may be split by spaces (any Unicode space separator), apostrophes, or the
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
