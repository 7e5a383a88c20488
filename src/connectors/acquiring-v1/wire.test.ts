import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Secret } from '../../domain/secret.js';
import { callbackHash, hashEquals, isOrderId, mapStatus, normalizeOrderId, paymentHash, wireAmount } from './wire.js';

const key = new Secret('secret');

// Vectors computed outside the code, with the shell, e.g.
//   printf '%s' 'secret;fd-1240;1500.00' | md5sum
// (UTF-8 locale; the Cyrillic key is the bytes d0ba d0bb d18e d187).
const PAYMENT_VECTORS: [string, string, string, string][] = [
  ['secret', 'fd-1240', '1500.00', 'd02b610cfb13bd42e1141239af843a0a'],
  ['secret', 'FD-1240', '1500.00', 'a446c923923ebe537428c2dca0ccc4b2'],
  ['secret', 'fd-1240', '1500', 'fb9ac6c84bdcb764980d90c8d8b9007c'],
  ['Zx9-secret', 'order-77-2', '12.50', '3d4d03a86ad02d58d97f78eded9bcb78'],
  ['ключ', 'fd-1240', '1500.00', 'b34d8475769835636b1caabd1fa26f49'],
];
const CALLBACK_VECTORS: [string, string, string, string][] = [
  ['secret', 'fd-1240', 'executed', '146e69c69032415498209b46c4853826'],
  ['secret', 'FD-1240', 'executed', '2c366686e49d89f11a474df13025b7b7'],
  ['secret', 'fd-1240', 'opened', '1a75229a4805a9e264cc912a2ee0bdf5'],
  ['secret', 'fd-1240', 'canceled', '8258657e224f36491ad4261996da7b44'],
  ['secret', 'fd-1240', 'error#5001', '06f2bc4093cdfa26fe6a0dd788ddac89'],
];

test('payment hash matches md5(PrivKey;OrderID;Amount) computed independently', () => {
  for (const [k, orderId, amount, hex] of PAYMENT_VECTORS) {
    assert.equal(paymentHash(new Secret(k), orderId, amount), hex, `${orderId} ${amount}`);
  }
});

test('callback hash matches md5(PrivKey;OrderID;status) computed independently', () => {
  for (const [k, orderId, status, hex] of CALLBACK_VECTORS) {
    assert.equal(callbackHash(new Secret(k), orderId, status), hex, `${orderId} ${status}`);
  }
});

test('the OrderID is signed as sent: case changes the hash', () => {
  assert.notEqual(paymentHash(key, 'fd-1240', '1500.00'), paymentHash(key, 'FD-1240', '1500.00'));
});

test('hashEquals accepts upper-case hex and rejects wrong, short, long and non-hex values', () => {
  const h = 'd02b610cfb13bd42e1141239af843a0a';
  assert.equal(hashEquals(h, h), true);
  assert.equal(hashEquals(h, h.toUpperCase()), true);
  assert.equal(hashEquals(h.toUpperCase(), h), true);
  assert.equal(hashEquals(h, 'd02b610cfb13bd42e1141239af843a0b'), false);
  assert.equal(hashEquals(h, h.slice(0, 31)), false);
  assert.equal(hashEquals(h, `${h}0`), false);
  assert.equal(hashEquals(h, ''), false);
  assert.equal(hashEquals(h, 'g02b610cfb13bd42e1141239af843a0a'), false);
  assert.equal(hashEquals(h, ` ${h.slice(1)}`), false);
  assert.equal(hashEquals('', ''), false);
  // Same length in UTF-16 but not hex: must not throw on Buffer length differences.
  assert.equal(hashEquals(h, 'é'.repeat(32)), false);
});

test('hashEquals is false for any string that is not the hash, in any case', () => {
  const h = paymentHash(key, 'fd-1240', '1500.00');
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      assert.equal(hashEquals(h, s), s.toLowerCase() === h);
    }),
  );
});

test('amounts go on the wire with a point and the currency decimals', () => {
  assert.equal(wireAmount(150000, 'AMD'), '1500.00');
  assert.equal(wireAmount(150050, 'RUB'), '1500.50');
  assert.equal(wireAmount(1, 'USD'), '0.01');
  assert.equal(wireAmount(1999, 'USD'), '19.99');
  assert.equal(wireAmount(1500, 'JPY'), '1500');
});

test('OrderIDs: Latin letters, digits and hyphen, 1..64, compared without case', () => {
  for (const ok of ['fd-1240', 'FD-1240', 'a', '1', 'x'.repeat(64), 'order-7-2']) assert.equal(isOrderId(ok), true, ok);
  for (const bad of ['', 'x'.repeat(65), 'fd 1240', 'fd_1240', 'fd/1240', 'заказ1', 'fd-1240\n', 'a.b', 'a%2F']) {
    assert.equal(isOrderId(bad), false, JSON.stringify(bad));
  }
  assert.equal(normalizeOrderId('FD-1240'), normalizeOrderId('fd-1240'));
});

test('status map: documented statuses exactly, error#NNNN with its code, anything else moves nothing', () => {
  assert.deepEqual(mapStatus('executed'), { status: 'succeeded', errorCode: null });
  assert.deepEqual(mapStatus('opened'), { status: 'pending', errorCode: null });
  assert.deepEqual(mapStatus('canceled'), { status: 'canceled', errorCode: null });
  assert.deepEqual(mapStatus('error#1234'), { status: 'failed', errorCode: '1234' });
  assert.deepEqual(mapStatus('error#0042'), { status: 'failed', errorCode: '0042' });
  assert.deepEqual(mapStatus('error#7'), { status: 'failed', errorCode: '7' });
  for (const other of [
    'EXECUTED',
    'Executed',
    'executed ',
    'cancelled',
    'error#',
    'error#12a',
    'error 1234',
    'ERROR#1234',
    'paid',
    '',
  ]) {
    assert.deepEqual(mapStatus(other), { status: null, errorCode: null }, other);
  }
});
