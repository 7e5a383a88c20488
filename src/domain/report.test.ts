import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { formatDecimal } from './money.js';
import {
  CSV_MAPPING_SCHEMA,
  DEFAULT_CSV_MAPPING,
  parseCsvMapping,
  readReportAmount,
  readReportRecord,
  readReportTime,
  type CsvMapping,
} from './report.js';

const base = {
  provider_ref: 'PAY-1',
  order_reference: 'R-1',
  type: 'sale',
  amount: '100.00',
  currency: 'USD',
  status: 'succeeded',
  time: '2026-11-23T10:00:00Z',
  fee: '',
};
const read = (patch: Record<string, string>, mapping: CsvMapping = DEFAULT_CSV_MAPPING, lineNo = 12) =>
  readReportRecord({ ...base, ...patch }, mapping, lineNo);
const message = (r: ReturnType<typeof read>) => (r.ok ? '' : r.error.message);

test('a line is read exactly into minor units', () => {
  assert.deepEqual(read({}), {
    ok: true,
    value: {
      lineNo: 12,
      providerRef: 'PAY-1',
      orderReference: 'R-1',
      type: 'sale',
      amount: 10000,
      currency: 'USD',
      status: 'succeeded',
      at: '2026-11-23T10:00:00.000Z',
      fee: 0,
    },
  });
  const small = read({ amount: '0.1' });
  assert.equal(small.ok && small.value.amount, 10);
  const yen = read({ amount: '1500', currency: 'jpy' });
  assert.equal(yen.ok && `${yen.value.amount} ${yen.value.currency}`, '1500 JPY');
});

test('type and status values compare trimmed and without regard to case; given lists replace the defaults', () => {
  const r = read({ type: '  Payment ', status: 'EXECUTED' });
  assert.equal(r.ok && `${r.value.type}/${r.value.status}`, 'sale/succeeded');
  assert.equal(read({ type: 'Dispute', status: 'opened' }).ok, true);
  const custom: CsvMapping = {
    ...DEFAULT_CSV_MAPPING,
    type_values: { sale: ['Charge'] },
    status_values: { failed: ['Rejected'] },
  };
  assert.equal(read({ type: 'charge', status: 'rejected' }, custom).ok, true);
  assert.match(
    message(read({ type: 'sale' }, custom)),
    /^Line 12: type "sale" in column "type" is not one of charge, refund/,
  );
  assert.match(message(read({ status: 'canceled' })), /^Line 12: status "canceled" in column "status"/);
});

test('amounts: decimal comma, thousands marks, and no more decimals than the currency has', () => {
  const comma: CsvMapping = { ...DEFAULT_CSV_MAPPING, decimal_separator: ',' };
  const amount = (text: string, mapping = DEFAULT_CSV_MAPPING, currency = 'USD') => {
    const r = read({ amount: text, currency }, mapping);
    return r.ok ? r.value.amount : r.error.message;
  };
  assert.equal(amount('1 500,50', comma), 150050);
  assert.equal(amount('1\u00a0500,50', comma), 150050);
  assert.equal(amount('1.500.000,5', comma), 150000050);
  assert.equal(amount('1,500.50'), 150050);
  assert.equal(amount('1 234 567.00'), 123456700);
  assert.equal(amount("1'500.50"), 150050);
  assert.equal(amount('10.00', DEFAULT_CSV_MAPPING, 'JPY'), 10);
  assert.match(String(amount('1,50')), /"1,50" is not a decimal amount/);
  assert.match(String(amount('1.50', comma)), /not a decimal amount/);
  assert.match(String(amount('12 34.00')), /not a decimal amount/, 'groups are of three');
  assert.match(String(amount('1,500 000.00')), /not a decimal amount/, 'one kind of mark per number');
  assert.match(
    String(amount('1.005')),
    /^Line 12: amount in column "amount": "1.005" has more decimals than USD has \(2\)\.$/,
  );
  assert.match(String(amount('1500.5', DEFAULT_CSV_MAPPING, 'JPY')), /more decimals than JPY has \(0\)/);
  assert.match(String(amount('99999999999999999999')), /too large/);
  assert.match(String(amount('1e3')), /not a decimal amount/);
  assert.match(String(amount('')), /not a decimal amount/);
  assert.match(String(amount('0.00')), /is zero/);
});

test('a negative refund or chargeback is made positive; a negative sale is refused', () => {
  const refund = read({ type: 'refund', amount: '-30.00' });
  assert.equal(refund.ok && refund.value.amount, 3000);
  const cb = read({ type: 'chargeback', amount: '-30.00' });
  assert.equal(cb.ok && cb.value.amount, 3000);
  assert.match(
    message(read({ amount: '-30.00' })),
    /^Line 12: amount "-30.00" in column "amount" is negative on a sale\.$/,
  );
});

test('currency, references, time and fee', () => {
  assert.match(message(read({ currency: 'XXX' })), /currency "XXX" in column "currency" is not a known ISO 4217 code/);
  assert.match(message(read({ currency: 'US' })), /not a known/);
  const noProvider = read({ provider_ref: '' });
  assert.equal(noProvider.ok && noProvider.value.providerRef, null);
  assert.match(
    message(read({ provider_ref: ' ', order_reference: '' })),
    /neither a provider reference nor an order reference/,
  );
  assert.match(message(read({ provider_ref: 'x'.repeat(257) })), /longer than 256/);

  const at = (time: string) => {
    const r = read({ time });
    return r.ok ? r.value.at : r.error.message;
  };
  assert.equal(at(''), null);
  assert.equal(at('2026-11-23 10:00:00'), '2026-11-23T10:00:00.000Z', 'no zone reads as UTC');
  assert.equal(at('2026-11-23T10:00:00.1234+03:00'), '2026-11-23T07:00:00.123Z');
  assert.equal(at('2026-11-23T01:00-0230'), '2026-11-23T03:30:00.000Z');
  assert.equal(at('2026-11-23'), '2026-11-23T00:00:00.000Z');
  assert.equal(at('2024-02-29'), '2024-02-29T00:00:00.000Z');
  assert.match(String(at('2026-02-29')), /time "2026-02-29" in column "time" is not an ISO 8601/);
  assert.match(String(at('23.11.2026')), /not an ISO 8601/);
  assert.equal(readReportTime('0099-01-01T00:00:00Z'), '0099-01-01T00:00:00.000Z');

  const fee = (text: string) => {
    const r = read({ fee: text });
    return r.ok ? r.value.fee : r.error.message;
  };
  assert.equal(fee('2.50'), 250);
  assert.equal(fee('-2.50'), 250, 'a fee is a cost whichever sign the provider writes');
  assert.match(String(fee('0.001')), /fee in column "fee": "0.001" has more decimals/);
  const noFeeColumn: CsvMapping = {
    columns: { provider_ref: 'provider_ref', type: 'type', amount: 'amount', currency: 'currency', status: 'status' },
  };
  const r = read({}, noFeeColumn);
  assert.equal(r.ok && `${r.value.fee}/${r.value.at}/${r.value.orderReference}`, '0/null/null');
});

test('a mapped column the record lacks is named', () => {
  const mapping: CsvMapping = { columns: { ...DEFAULT_CSV_MAPPING.columns, amount: 'Gross' } };
  assert.equal(message(read({}, mapping, 3)), 'Line 3: the record has no column "Gross" (amount).');
  const r = readReportRecord(
    { ...base, amount: undefined } as unknown as Record<string, string>,
    DEFAULT_CSV_MAPPING,
    4,
  );
  assert.equal(!r.ok && r.error.code, 'report_line_invalid');
});

test('the mapping schema takes the default mapping and refuses what parseCsvMapping refuses', () => {
  const validate = new Ajv({ strict: true, allErrors: true }).compile(CSV_MAPPING_SCHEMA);
  const cases: [unknown, boolean][] = [
    [DEFAULT_CSV_MAPPING, true],
    [
      {
        columns: { order_reference: 'Order', type: 'T', amount: 'A', currency: 'C', status: 'S' },
        delimiter: ';',
        decimal_separator: ',',
        type_values: { sale: ['Buy'] },
      },
      true,
    ],
    [{ columns: { type: 'T', amount: 'A', currency: 'C', status: 'S' } }, false],
    [{ columns: { ...DEFAULT_CSV_MAPPING.columns, extra: 'x' } }, false],
    [{ ...DEFAULT_CSV_MAPPING, delimiter: ';;' }, false],
    [{ ...DEFAULT_CSV_MAPPING, delimiter: '"' }, false],
    [{ ...DEFAULT_CSV_MAPPING, decimal_separator: ' ' }, false],
    [{ ...DEFAULT_CSV_MAPPING, type_values: { sale: [] } }, false],
    [{ ...DEFAULT_CSV_MAPPING, status_values: { won: ['x'] } }, false],
    [{ columns: { ...DEFAULT_CSV_MAPPING.columns, type: 'x'.repeat(129) } }, false],
    [{ columns: { ...DEFAULT_CSV_MAPPING.columns, type: '  ' } }, false],
    [{ ...DEFAULT_CSV_MAPPING, status_values: { failed: [' '] } }, false],
  ];
  for (const [input, valid] of cases) {
    assert.equal(validate(input), valid, JSON.stringify(input));
    assert.equal(parseCsvMapping(input).ok, valid, JSON.stringify(input));
  }
});

test('a mapping may not list one value under two types or two statuses', () => {
  const clash = parseCsvMapping({ ...DEFAULT_CSV_MAPPING, type_values: { refund: ['Payment'] } });
  assert.equal(!clash.ok && clash.error.message, 'report_mapping: type_values: "Payment" is listed under two names.');
  assert.equal(parseCsvMapping({ ...DEFAULT_CSV_MAPPING, status_values: { failed: ['OK'] } }).ok, false);
  assert.equal(parseCsvMapping({ ...DEFAULT_CSV_MAPPING, type_values: { sale: ['sale', 'SALE'] } }).ok, true);
  assert.equal(parseCsvMapping(null).ok, false);
  assert.equal(parseCsvMapping({ columns: DEFAULT_CSV_MAPPING.columns, delimiter: '\t' }).ok, true);
});

test('property: any amount written with either separator and any grouping reads back exactly', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.constantFrom('USD', 'JPY', 'BHD'),
      fc.constantFrom('.', ','),
      fc.constantFrom('', ' ', '\u00a0', "'", 'other'),
      (n, cur, sep, group) => {
        const [whole = '', frac] = formatDecimal(n, cur).split('.');
        const mark = group === 'other' ? (sep === '.' ? ',' : '.') : group;
        const grouped = whole.replace(/\B(?=(\d{3})+$)/g, mark);
        const text = frac === undefined ? grouped : `${grouped}${sep}${frac}`;
        const r = readReportAmount(text, cur, sep as '.' | ',');
        assert.deepEqual(r, { ok: true, minor: n }, text);
      },
    ),
  );
});

test('property: a record of arbitrary strings never throws', () => {
  const header = fc.constantFrom(
    'provider_ref',
    'order_reference',
    'type',
    'amount',
    'currency',
    'status',
    'time',
    'fee',
    '__proto__',
    'constructor',
    'toString',
  );
  const value = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'sale',
      'REFUND',
      'dispute',
      'ok',
      'pending',
      'USD',
      'JPY',
      'BHD',
      '-1',
      '1,5',
      '1 000.00',
      '2026-02-29',
      '2026-11-23T10:00:00+99:99',
      '9'.repeat(400),
    ),
    fc.stringMatching(/^-?[\d .,']{0,20}$/),
  );
  const mappings: CsvMapping[] = [
    DEFAULT_CSV_MAPPING,
    { ...DEFAULT_CSV_MAPPING, decimal_separator: ',' },
    { columns: { ...DEFAULT_CSV_MAPPING.columns, time: '__proto__', fee: 'constructor' } },
  ];
  fc.assert(
    fc.property(fc.dictionary(header, value), fc.constantFrom(...mappings), fc.integer(), (record, mapping, lineNo) => {
      const r = readReportRecord(record, mapping, lineNo);
      if (r.ok) {
        assert.ok(Number.isSafeInteger(r.value.amount) && r.value.amount > 0);
        assert.ok(Number.isSafeInteger(r.value.fee) && r.value.fee >= 0);
      } else {
        assert.equal(r.error.code, 'report_line_invalid');
        assert.ok(r.error.message.startsWith(`Line ${lineNo}: `));
      }
    }),
    { numRuns: 2000 },
  );
});
