import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addToTotals,
  duplicateKey,
  EMPTY_TOTALS,
  matchReportLine,
  type RunTotals,
  type SettleRecord,
} from './reconciliation.js';
import type { ReportLine, ReportLineStatus, ReportLineType } from './report.js';

const line = (patch: Partial<ReportLine> = {}): ReportLine => ({
  lineNo: 12,
  providerRef: 'PAY-1',
  orderReference: 'R-1',
  type: 'sale',
  amount: 10000,
  currency: 'USD',
  status: 'succeeded',
  at: null,
  fee: 0,
  ...patch,
});
const record = (patch: Partial<SettleRecord> = {}): SettleRecord => ({
  kind: 'payment',
  id: 'pay_1',
  orderId: 'ord_1',
  orderReference: 'R-1',
  providerRef: 'PAY-1',
  amount: 10000,
  currency: 'USD',
  status: 'succeeded',
  ...patch,
});

test('a line that agrees with its record is matched', () => {
  assert.deepEqual(matchReportLine(line(), [record()]), { outcome: 'matched', record: record() });
  assert.equal(
    matchReportLine(line({ type: 'refund', status: 'succeeded' }), [
      record(),
      record({ kind: 'refund', id: 'rf_1', status: 'manual' }),
    ]).outcome,
    'matched',
  );
  assert.equal(matchReportLine(line({ status: 'failed' }), [record({ status: 'expired' })]).outcome, 'matched');
});

test('reasons give both sides in decimals', () => {
  assert.deepEqual(matchReportLine(line(), [record({ amount: 9000 })]), {
    outcome: 'exception',
    kind: 'amount_mismatch',
    reason: "Report line 12: sale PAY-1 is 100.00 USD, Settle's payment is 90.00 USD.",
    record: record({ amount: 9000 }),
  });
  const cur = matchReportLine(line({ currency: 'EUR' }), [record()]);
  assert.equal(
    cur.outcome === 'exception' && `${cur.kind}: ${cur.reason}`,
    "currency_mismatch: Report line 12: sale PAY-1 is 100.00 EUR, Settle's payment is 100.00 USD.",
  );
  const status = matchReportLine(line(), [record({ status: 'authorized' })]);
  assert.equal(
    status.outcome === 'exception' && `${status.kind}: ${status.reason}`,
    "status_mismatch: Report line 12: sale PAY-1 is succeeded in the report, Settle's payment is authorized.",
  );
  const jpy = matchReportLine(line({ currency: 'JPY', amount: 1500, providerRef: null }), [
    record({ currency: 'JPY', amount: 1499 }),
  ]);
  assert.equal(
    jpy.outcome === 'exception' && jpy.reason,
    "Report line 12: sale R-1 is 1500 JPY, Settle's payment is 1499 JPY.",
  );
});

test('a line with no record of its kind', () => {
  const none = matchReportLine(line(), []);
  assert.deepEqual(none, {
    outcome: 'exception',
    kind: 'missing_in_settle',
    reason: 'Report line 12: sale PAY-1 (100.00 USD, succeeded): Settle has no payment.',
  });
  const refund = matchReportLine(line({ type: 'refund', amount: 3000 }), [record()]);
  assert.equal(
    refund.outcome === 'exception' && refund.kind,
    'refund_mismatch',
    'money went back on a payment Settle knows',
  );
  assert.equal(refund.outcome === 'exception' && refund.record?.id, 'pay_1');
  const unknown = matchReportLine(line({ type: 'refund' }), []);
  assert.equal(unknown.outcome === 'exception' && unknown.kind, 'missing_in_settle');
  const cb = matchReportLine(line({ type: 'chargeback' }), [record()]);
  assert.equal(
    cb.outcome === 'exception' && `${cb.kind} ${cb.record?.id} ${cb.reason}`,
    'missing_in_settle pay_1 Report line 12: chargeback PAY-1 (100.00 USD, succeeded): Settle has no chargeback on order R-1.',
  );
});

test('refund amounts that differ are refund mismatches; chargeback statuses map to the dispute', () => {
  const r = matchReportLine(line({ type: 'refund', amount: 3000 }), [record({ kind: 'refund', amount: 2000 })]);
  assert.equal(r.outcome === 'exception' && r.kind, 'refund_mismatch');
  const cb = (status: ReportLineStatus, settle: string) =>
    matchReportLine(line({ type: 'chargeback', status }), [record({ kind: 'chargeback', status: settle })]).outcome;
  assert.equal(cb('pending', 'opened'), 'matched');
  assert.equal(cb('succeeded', 'opened'), 'matched');
  assert.equal(cb('succeeded', 'lost'), 'matched');
  assert.equal(cb('failed', 'won'), 'matched');
  assert.equal(cb('succeeded', 'won'), 'exception');
  assert.equal(cb('failed', 'opened'), 'exception');
  assert.equal(
    matchReportLine(line(), [record({ status: 'something-new' })]).outcome,
    'exception',
    'an unknown Settle status agrees with nothing',
  );
});

test('of several candidates the one that agrees is chosen', () => {
  const failedTry = record({ id: 'pay_1', status: 'failed' });
  const paid = record({ id: 'pay_2', status: 'succeeded' });
  const v = matchReportLine(line({ providerRef: null }), [failedTry, paid]);
  assert.equal(v.outcome === 'matched' && v.record.id, 'pay_2');
  const refunds = [
    record({ kind: 'refund', id: 'rf_1', amount: 3000 }),
    record({ kind: 'refund', id: 'rf_2', amount: 5000 }),
  ];
  const r = matchReportLine(line({ type: 'refund', amount: 5000 }), refunds);
  assert.equal(r.outcome === 'matched' && r.record.id, 'rf_2');
  const closest = matchReportLine(line({ amount: 7000 }), [
    record({ id: 'a', currency: 'EUR', amount: 7000 }),
    record({ id: 'b', amount: 6000 }),
  ]);
  assert.equal(
    closest.outcome === 'exception' && `${closest.kind} ${closest.record?.id}`,
    'amount_mismatch b',
    'the same currency outranks the same amount',
  );
});

test('duplicate keys', () => {
  assert.equal(duplicateKey(line()), duplicateKey(line({ lineNo: 99, amount: 1, orderReference: 'other' })));
  assert.notEqual(duplicateKey(line()), duplicateKey(line({ type: 'refund' })));
  assert.notEqual(
    duplicateKey(line({ type: 'refund', amount: 100 })),
    duplicateKey(line({ type: 'refund', amount: 200 })),
    'partial refunds under one payment reference',
  );
  assert.equal(
    duplicateKey(line({ providerRef: 'fd-1240' }), (r) => r.toLowerCase()),
    duplicateKey(line({ providerRef: 'FD-1240' }), (r) => r.toLowerCase()),
  );
  assert.equal(
    duplicateKey(line({ providerRef: null, orderReference: 'r-1' })),
    duplicateKey(line({ providerRef: null, orderReference: 'R-1' })),
  );
  assert.notEqual(duplicateKey(line({ providerRef: null })), duplicateKey(line({ providerRef: null, amount: 1 })));
  assert.notEqual(
    duplicateKey(line({ providerRef: null, orderReference: null })),
    duplicateKey(line({ providerRef: null, orderReference: null, lineNo: 13 })),
  );
  assert.notEqual(
    duplicateKey(line({ providerRef: 'a","ref' })),
    duplicateKey(line({ providerRef: 'a', type: 'sale' })),
  );
});

test('totals count succeeded lines per currency', () => {
  const lines = [
    line({ amount: 10000, fee: 250 }),
    line({ type: 'refund', amount: 3000 }),
    line({ type: 'chargeback', amount: 1000, fee: 1500 }),
    line({ amount: 99999, status: 'failed', fee: 100 }),
    line({ amount: 500, currency: 'JPY' }),
  ];
  let totals: RunTotals = EMPTY_TOTALS;
  for (const l of lines) {
    const r = addToTotals(totals, l);
    assert.ok(r.ok);
    totals = r.value;
  }
  assert.deepEqual(totals, {
    USD: { sales: 10000, refunds: 3000, chargebacks: 1000, fees: 1750, net: 4250 },
    JPY: { sales: 500, refunds: 0, chargebacks: 0, fees: 0, net: 500 },
  });
  assert.deepEqual(EMPTY_TOTALS, {});
  const over = addToTotals(totals, line({ amount: Number.MAX_SAFE_INTEGER }));
  assert.equal(!over.ok && over.error.code, 'report_totals_overflow');
  assert.equal(addToTotals(totals, line({ amount: 1.5 })).ok, false);
});

const kinds: Record<ReportLineType, SettleRecord['kind']> = {
  sale: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
};
const agreeing: Record<SettleRecord['kind'], [ReportLineStatus, string][]> = {
  payment: [
    ['succeeded', 'succeeded'],
    ['failed', 'canceled'],
    ['pending', 'authorized'],
  ],
  refund: [
    ['succeeded', 'manual'],
    ['failed', 'failed'],
    ['pending', 'requested'],
  ],
  chargeback: [
    ['pending', 'opened'],
    ['succeeded', 'lost'],
    ['failed', 'won'],
  ],
};
const arbLine = fc.record({
  lineNo: fc.integer({ min: 2, max: 1e6 }),
  providerRef: fc.option(fc.string({ minLength: 1 }), { nil: null }),
  orderReference: fc.string({ minLength: 1 }),
  type: fc.constantFrom<ReportLineType>('sale', 'refund', 'chargeback'),
  amount: fc.integer({ min: 1, max: 1e12 }),
  currency: fc.constantFrom('USD', 'JPY', 'BHD', 'AMD'),
  status: fc.constantFrom<ReportLineStatus>('succeeded', 'failed', 'pending'),
  at: fc.constant(null),
  fee: fc.integer({ min: 0, max: 1e6 }),
});
const recordFor = (l: ReportLine, pick: number): SettleRecord => {
  const kind = kinds[l.type];
  const options = agreeing[kind].filter(([s]) => s === l.status);
  const status = options[pick % options.length]![1];
  return record({
    kind,
    amount: l.amount,
    currency: l.currency,
    providerRef: l.providerRef,
    orderReference: l.orderReference ?? 'R-1',
    status,
  });
};

test('property: a line built from a record with equal values is always matched', () => {
  fc.assert(
    fc.property(
      arbLine,
      fc.nat(),
      fc.array(
        fc.record({ kind: fc.constantFrom<SettleRecord['kind']>('payment', 'refund', 'chargeback'), amount: fc.nat() }),
      ),
      (l, pick, others) => {
        const r = recordFor(l, pick);
        // Noise never agrees in amount, so the record built from the line is the only exact match.
        const noise = others.map((o, i) => record({ kind: o.kind, amount: l.amount + 1 + o.amount, id: `other_${i}` }));
        const v = matchReportLine(l, [...noise, r]);
        assert.deepEqual(v, { outcome: 'matched', record: r });
      },
    ),
  );
});

test('property: changing only the amount gives an amount or refund mismatch', () => {
  fc.assert(
    fc.property(
      arbLine,
      fc.nat(),
      fc.integer({ min: -1e12, max: 1e12 }).filter((d) => d !== 0),
      (l, pick, delta) => {
        const r = { ...recordFor(l, pick), amount: l.amount + delta };
        const v = matchReportLine(l, [r]);
        assert.equal(v.outcome, 'exception');
        assert.equal(v.outcome === 'exception' && v.kind, l.type === 'refund' ? 'refund_mismatch' : 'amount_mismatch');
      },
    ),
  );
});

test('property: totals do not depend on the order of the lines', () => {
  const sum = (lines: readonly ReportLine[]) =>
    lines.reduce<ReturnType<typeof addToTotals>>((acc, l) => (acc.ok ? addToTotals(acc.value, l) : acc), {
      ok: true,
      value: EMPTY_TOTALS,
    });
  const big = fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(arbLine, big), { maxLength: 30 }).map((xs) => xs.map(([l, amount]) => ({ ...l, amount }))),
      fc.func(fc.integer()),
      (lines, rank) => {
        const shuffled = [...lines].sort((a, b) => rank(a) - rank(b) || 0);
        const a = sum(lines);
        const b = sum(shuffled);
        assert.equal(a.ok, b.ok);
        if (a.ok && b.ok) {
          assert.deepEqual(b.value, a.value);
          for (const t of Object.values(a.value)) assert.equal(t.net, t.sales - t.refunds - t.chargebacks - t.fees);
        }
      },
    ),
  );
});
