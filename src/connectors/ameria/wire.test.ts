import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { detailsEvent, readDetails, type PaymentDetails } from './details.js';
import {
  isInitSuccess,
  isOrderId,
  isSuccessCode,
  mapOrderStatus,
  normalizeOrderId,
  readAmount,
  readCurrency,
  readOrderStatus,
  wireAmount,
  wireCurrency,
} from './wire.js';

test('amounts go on the wire as major-unit JSON numbers, exactly', () => {
  assert.equal(wireAmount(150000, 'AMD'), 1500);
  assert.equal(wireAmount(150050, 'AMD'), 1500.5);
  assert.equal(wireAmount(1, 'USD'), 0.01);
  assert.equal(JSON.stringify({ Amount: wireAmount(123456789012, 'AMD') }), '{"Amount":1234567890.12}');
  for (const [amount, currency] of [
    [0, 'AMD'],
    [-100, 'AMD'],
    [1.5, 'AMD'],
    [100, 'ZZZ'],
    [Number.MAX_SAFE_INTEGER, 'AMD'],
  ] as const)
    assert.equal(wireAmount(amount, currency), undefined, `${amount} ${currency}`);
});

test('every amount the wire takes reads back to the same minor units (no float drift)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 ** 15 }), fc.constantFrom('AMD', 'USD', 'EUR', 'RUB'), (amount, cur) => {
      const n = wireAmount(amount, cur);
      if (n === undefined) return; // only beyond what a double holds exactly
      assert.equal(readAmount(JSON.parse(JSON.stringify(n)), cur), amount);
    }),
    { numRuns: 2000 },
  );
  // Up to 13 digits of drams (15 significant digits) always fit.
  assert.equal(readAmount(wireAmount(999999999999999, 'AMD'), 'AMD'), 999999999999999);
});

test('answer amounts are read exactly, as JSON numbers or decimal strings', () => {
  assert.equal(readAmount(10.0, 'AMD'), 1000);
  assert.equal(readAmount(0.3, 'AMD'), 30);
  // A computed float is not what a bank writes: it is refused, never rounded.
  assert.equal(readAmount(0.1 + 0.2, 'AMD'), undefined);
  assert.equal(readAmount(1500.1, 'AMD'), 150010);
  assert.equal(readAmount('1500.10', 'AMD'), 150010);
  assert.equal(readAmount(0, 'AMD'), 0);
  for (const bad of [-1, 0.001, '1,5', '', null, undefined, Infinity, NaN, 1e21, '1e3', {}]) {
    assert.equal(readAmount(bad, 'AMD'), undefined, String(bad));
  }
  assert.equal(readAmount(10, '(none)'), undefined);
});

test('OrderIDs are positive integers without leading zeros; normalizeRef reads them as numbers', () => {
  for (const ok of ['1', '30164001', String(Number.MAX_SAFE_INTEGER)]) assert.equal(isOrderId(ok), true, ok);
  for (const bad of ['0', '007', '-1', '1.5', '1e3', '', ' 1', 'abc', '9007199254740992', '99999999999999999'])
    assert.equal(isOrderId(bad), false, bad);
  assert.equal(normalizeOrderId('007'), '7');
  assert.equal(normalizeOrderId('0'), '0');
  assert.equal(normalizeOrderId('30164001'), '30164001');
  assert.equal(normalizeOrderId('FD-1'), 'FD-1');
});

test('currencies: the four the document lists, as ISO numeric; answers read back or never match', () => {
  assert.deepEqual(['AMD', 'EUR', 'USD', 'RUB', 'JPY'].map(wireCurrency), ['051', '978', '840', '643', undefined]);
  assert.equal(readCurrency('051'), 'AMD');
  assert.equal(readCurrency(51), 'AMD');
  assert.equal(readCurrency('840'), 'USD');
  assert.equal(readCurrency(''), '(none)');
  assert.equal(readCurrency('999'), 'numeric 999');
  assert.equal(readCurrency(null), '(none)');
});

test('response codes: InitPayment succeeds with 1, every other call with "00"', () => {
  assert.equal(isInitSuccess(1), true);
  assert.equal(isInitSuccess('1'), true);
  for (const no of ['01', 0, '00', 20, true, null]) assert.equal(isInitSuccess(no), false, String(no));
  assert.equal(isSuccessCode('00'), true);
  for (const no of [0, '0', '000', '01', 1, null]) assert.equal(isSuccessCode(no), false, String(no));
});

test('OrderStatus: Table 2, as a string (observed) or a number (documented); exhaustive map', () => {
  assert.equal(readOrderStatus('2'), 2);
  assert.equal(readOrderStatus(4), 4);
  assert.equal(readOrderStatus('7'), 'undocumented');
  assert.equal(readOrderStatus('payment_deposited'), 'undocumented');
  assert.equal(readOrderStatus(''), undefined);
  assert.equal(readOrderStatus(null), undefined);
  assert.deepEqual(([0, 1, 2, 3, 4, 5, 6] as const).map(mapOrderStatus), [
    'pending',
    'authorized',
    'succeeded',
    'canceled',
    'succeeded',
    'pending',
    'failed',
  ]);
});

/** A GetPaymentDetails body shaped like the observed one (thirty fields; the ones read here). */
function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Amount: 1500.0,
    ApprovedAmount: 1500.0,
    DepositedAmount: 1500.0,
    RefundedAmount: 0.0,
    Currency: '051',
    Description: 'Approved. - Payment post authorized',
    OrderID: '30164001',
    OrderStatus: '2',
    PaymentState: 'payment_deposited',
    ResponseCode: '00',
    ...over,
  };
}

function details(over: Record<string, unknown> = {}): PaymentDetails {
  const r = readDetails(body(over), '30164001');
  assert.equal(r.kind, 'answer', JSON.stringify(r));
  return (r as { value: PaymentDetails }).value;
}

test('details: a deposited payment is succeeded with what is deposited, in the answered currency', () => {
  assert.deepEqual(detailsEvent(details(), '30164001'), {
    providerRef: '30164001',
    status: 'succeeded',
    providerStatus: '2 payment_deposited',
    errorCode: null,
    amount: 150000,
    currency: 'AMD',
  });
  // OrderStatus as a number and OrderID as a number are the same answer.
  assert.equal(detailsEvent(details({ OrderStatus: 2, OrderID: 30164001 }), '30164001').status, 'succeeded');
  // After a partial refund (observed: 4, DepositedAmount lowered, ApprovedAmount unchanged).
  const refunded = details({
    OrderStatus: '4',
    PaymentState: 'payment_refunded',
    DepositedAmount: 600.0,
    RefundedAmount: 900.0,
  });
  assert.deepEqual(detailsEvent(refunded, '30164001'), {
    providerRef: '30164001',
    status: 'succeeded',
    providerStatus: '4 payment_refunded',
    errorCode: null,
    amount: 60000,
    currency: 'AMD',
  });
  assert.equal(refunded.refunded, 90000);
});

test('details: unreadable amounts never match; an unknown currency never equals the payment one', () => {
  const e = detailsEvent(details({ DepositedAmount: 'lots', Currency: '999' }), '30164001');
  assert.equal(e.amount, -1);
  assert.equal(e.currency, 'numeric 999');
});

test('details: open, held, canceled, declined and undocumented statuses', () => {
  const event = (over: Record<string, unknown>) => detailsEvent(details(over), '30164001');
  assert.deepEqual(event({ OrderStatus: '0', PaymentState: 'payment_started', ResponseCode: '0-100' }), {
    providerRef: '30164001',
    status: 'pending',
    providerStatus: '0 payment_started',
    errorCode: null,
  });
  assert.equal(event({ OrderStatus: '5', PaymentState: '' }).status, 'pending');
  const held = event({ OrderStatus: '1', PaymentState: 'payment_approved', DepositedAmount: 0 });
  assert.deepEqual([held.status, held.amount, held.currency], ['authorized', 150000, 'AMD']);
  assert.equal(event({ OrderStatus: '3', PaymentState: 'payment_void' }).status, 'canceled');
  const declined = event({ OrderStatus: '6', PaymentState: 'payment_declined', ResponseCode: '0116' });
  assert.deepEqual([declined.status, declined.errorCode], ['failed', '0116']);
  const odd = event({ OrderStatus: '8', PaymentState: 'payment_whatever' });
  assert.deepEqual([odd.status, odd.providerStatus], [null, '8 payment_whatever']);
});

test('details: a refused lookup is a refusal with its code; contradictions are unreadable', () => {
  const failed = readDetails(body({ OrderStatus: '', OrderID: '', PaymentState: '', ResponseCode: '550' }), '1');
  assert.equal(failed.kind, 'refused');
  assert.match((failed as { message: string }).message, /ResponseCode 550 \(Approved/);
  assert.deepEqual((failed as { details: unknown }).details, { errorCode: '550' });
  const cases: [Record<string, unknown> | undefined, RegExp][] = [
    [undefined, /not a JSON object/],
    [body({ ResponseCode: undefined }), /no ResponseCode/],
    [body({ OrderStatus: '' }), /"00" but no OrderStatus/],
    [body({ OrderID: '30164002' }), /another OrderID/],
    [body({ OrderID: '' }), /another OrderID/],
    [body({ OrderID: undefined }), /another OrderID/],
    [body({ PaymentState: 'payment_declined' }), /OrderStatus 2 with PaymentState/],
    [body({ ResponseCode: '0116' }), /OrderStatus 2 with ResponseCode 0116/],
    [body({ OrderStatus: '4', PaymentState: 'payment_refunded', ResponseCode: '07' }), /ResponseCode 07/],
  ];
  for (const [b, what] of cases) {
    const r = readDetails(b, '30164001');
    assert.equal(r.kind, 'unreadable', JSON.stringify(b));
    assert.match((r as { what: string }).what, what);
  }
});
