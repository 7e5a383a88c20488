import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isOrderId, readAmount, readPaymentId, statusMeaning, tbankToken, tokenMatches } from './wire.js';

test("T-Bank's published Token example", () => {
  const token = tbankToken(
    {
      TerminalKey: 'MerchantTerminalKey',
      Amount: 19200,
      OrderId: '21090',
      Description: 'Подарочная карта на 1000 рублей',
    },
    'usaf8fw8fsw21g',
  );
  assert.equal(token, '0024a00af7c350a3a67ca168ce06502aa72772456662e38696d48b56ee9c97d9');
});

test('the Token leaves out Token, nested objects and arrays, and signs booleans as true/false', () => {
  const base = { TerminalKey: 'T', OrderId: 'o-1', Success: true, Amount: 100 };
  const plain = tbankToken(base, 'pw');
  assert.equal(tbankToken({ ...base, Token: 'x', DATA: { a: '1' }, Receipt: { Items: [] }, Items: [1] }, 'pw'), plain);
  // The same fields as strings sign the same: true is "true", 100 is "100".
  assert.equal(tbankToken({ TerminalKey: 'T', OrderId: 'o-1', Success: 'true', Amount: '100' }, 'pw'), plain);
  assert.notEqual(tbankToken({ ...base, Success: false }, 'pw'), plain);
  assert.notEqual(tbankToken(base, 'pw2'), plain);
  // A number that is not a safe integer cannot be signed exactly as sent.
  assert.equal(tbankToken({ ...base, Amount: 1.1 }, 'pw'), null);
});

test('a Token is compared in constant time, without regard to case, and only as 64 hex digits', () => {
  const t = tbankToken({ A: '1' }, 'pw')!;
  assert.ok(tokenMatches(t, t));
  assert.ok(tokenMatches(t.toUpperCase(), t));
  for (const bad of [t.slice(1), `${t}0`, 'z'.repeat(64), undefined, 123, ''])
    assert.equal(tokenMatches(bad, t), false, String(bad));
});

test('property: changing any signed field changes the Token', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
      fc.pre(a !== b);
      assert.notEqual(tbankToken({ OrderId: a }, 'pw'), tbankToken({ OrderId: b }, 'pw'));
    }),
  );
});

test('ids and amounts are read exactly', () => {
  assert.ok(isOrderId('1042-2'));
  for (const bad of ['', 'a'.repeat(37), 'a b', 'a:b', 'заказ']) assert.equal(isOrderId(bad), false, bad);
  assert.equal(readPaymentId(13660), '13660');
  assert.equal(readPaymentId('13660'), '13660');
  for (const bad of [-1, 1.5, '12a', '', null, 2 ** 60]) assert.equal(readPaymentId(bad), undefined, String(bad));
  assert.equal(readAmount(19200), 19200);
  for (const bad of ['19200', 192.5, -1, null]) assert.equal(readAmount(bad), -1, String(bad));
});

test('every documented status has a meaning; refunds are triggers, unknown ones move nothing', () => {
  assert.deepEqual(statusMeaning('CONFIRMED'), { kind: 'status', status: 'succeeded' });
  assert.deepEqual(statusMeaning('AUTHORIZED'), { kind: 'status', status: 'authorized' });
  assert.deepEqual(statusMeaning('REJECTED'), { kind: 'status', status: 'failed' });
  assert.deepEqual(statusMeaning('REVERSED'), { kind: 'status', status: 'canceled' });
  assert.deepEqual(statusMeaning('DEADLINE_EXPIRED'), { kind: 'status', status: 'expired' });
  assert.deepEqual(statusMeaning('PARTIAL_REFUNDED'), { kind: 'trigger' });
  assert.deepEqual(statusMeaning('REFUNDED'), { kind: 'trigger' });
  assert.deepEqual(statusMeaning('SOMETHING_NEW'), { kind: 'status', status: null });
  assert.deepEqual(statusMeaning('constructor'), { kind: 'status', status: null });
});
