// A CSV report's mapping: which column holds which field and which cell values mean which
// type and status; validated once when a payment method is saved, looked up per line.
import { fail, ok, type Result } from './result.js';
import {
  REPORT_LINE_STATUSES,
  REPORT_LINE_TYPES,
  type ReportLineStatus,
  type ReportLineType,
} from './report-line-kinds.js';

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

export const normalizeValue = (v: string): string => v.trim().toLowerCase();
export const length = (s: string): number => [...s].length;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A cell value as it may appear in a message: quoted, cut short. */
export const show = (v: string): string => JSON.stringify(length(v) > 40 ? `${[...v].slice(0, 40).join('')}…` : v);

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

export function typeLookup(mapping: CsvMapping): Lookup<ReportLineType> {
  let l = typeLookups.get(mapping);
  if (!l) typeLookups.set(mapping, (l = buildLookup(REPORT_LINE_TYPES, mapping.type_values, DEFAULT_TYPE_VALUES)));
  return l;
}

export function statusLookup(mapping: CsvMapping): Lookup<ReportLineStatus> {
  let l = statusLookups.get(mapping);
  if (!l)
    statusLookups.set(mapping, (l = buildLookup(REPORT_LINE_STATUSES, mapping.status_values, DEFAULT_STATUS_VALUES)));
  return l;
}
