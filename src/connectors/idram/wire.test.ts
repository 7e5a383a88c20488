import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Secret } from '../../domain/secret.js';
import {
  checksumEquals,
  confirmationChecksum,
  isBillNo,
  isUnambiguous,
  normalizeBillNo,
  readAmount,
  wireAmount,
  type SignedFields,
} from './wire.js';

// Idram publishes no vector; these were computed independently with the shell:
//   printf '%s' '100000114:1900.00:S3cret-Key-Id7:1806:110000601:00000123456789:23/11/2026' | md5sum
//   printf '%s' '100000114:1900:S3cret-Key-Id7:CF-7-2:110000601:00000123456789:23/11/2026' | md5sum
const KEY = new Secret('S3cret-Key-Id7');
const FIELDS: SignedFields = {
  recAccount: '100000114',
  amount: '1900.00',
  billNo: '1806',
  payerAccount: '110000601',
  transId: '00000123456789',
  transDate: '23/11/2026',
};

test('checksum: MD5 of the seven fields joined by ":", over the strings as received', () => {
  assert.equal(confirmationChecksum(KEY, FIELDS), 'c3f55f66ef28cc6561bfa0b28b5faaad');
  assert.equal(
    confirmationChecksum(KEY, { ...FIELDS, amount: '1900', billNo: 'CF-7-2' }),
    '8491505aed79703e4f2c0046f3818a07',
  );
  // "1900" and "1900.00" are the same money but not the same string: the checksum differs.
  assert.notEqual(confirmationChecksum(KEY, { ...FIELDS, amount: '1900' }), confirmationChecksum(KEY, FIELDS));
});

test('checksum comparison ignores case and refuses anything that is not the same hex', () => {
  const sum = 'c3f55f66ef28cc6561bfa0b28b5faaad';
  assert.ok(checksumEquals(sum, sum.toUpperCase()));
  assert.ok(!checksumEquals(sum, sum.slice(1)));
  assert.ok(!checksumEquals(sum, `${sum.slice(0, -1)}g`));
  assert.ok(!checksumEquals(sum, ''));
  assert.ok(!checksumEquals('', ''));
});

test('a ":" inside a signed field (not the last) makes the checksum ambiguous', () => {
  assert.ok(isUnambiguous(FIELDS));
  // The same joined text, split elsewhere: bill "1806:110000601" vs bill "1806".
  const shifted = { ...FIELDS, billNo: '1806:110000601', payerAccount: '00000123456789', transId: '23/11/2026' };
  assert.ok(!isUnambiguous(shifted));
  for (const k of ['recAccount', 'amount', 'billNo', 'payerAccount', 'transId'] as const)
    assert.ok(!isUnambiguous({ ...FIELDS, [k]: 'a:b' }), k);
  assert.ok(isUnambiguous({ ...FIELDS, transDate: '23/11/2026 10:00' }));
});

test('EDP_AMOUNT goes out with a point and two decimals, exactly', () => {
  assert.equal(wireAmount(190000), '1900.00');
  assert.equal(wireAmount(1), '0.01');
  assert.equal(wireAmount(190005), '1900.05');
  assert.equal(wireAmount(Number.MAX_SAFE_INTEGER), '90071992547409.91');
});

test('EDP_AMOUNT is read exactly: whole, one or two decimals, zeros beyond', () => {
  assert.equal(readAmount('1900'), 190000);
  assert.equal(readAmount('1900.0'), 190000);
  assert.equal(readAmount('1900.00'), 190000);
  assert.equal(readAmount('1900.5'), 190050);
  assert.equal(readAmount('1900.000'), 190000);
  assert.equal(readAmount('0.01'), 1);
  for (const bad of ['', '1900.005', '-1900', '+1900', ' 1900', '1900 ', '1,900.00', '1e3', '1900.', '.5', 'NaN'])
    assert.equal(readAmount(bad), undefined, bad);
});

test('property: every amount read back from its wire form is the same amount', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => readAmount(wireAmount(n)) === n));
});

test('bill numbers: Latin letters, digits and hyphens, 1 to 64, compared without regard to case', () => {
  for (const ok of ['1806', 'CF-1a2b-3', 'a'.repeat(64)]) assert.ok(isBillNo(ok), ok);
  for (const bad of ['', 'a'.repeat(65), 'A:B', 'A B', 'A_B', 'Ա1', 'A/B', 'A#1']) assert.ok(!isBillNo(bad), bad);
  assert.equal(normalizeBillNo('CF-AB-2'), normalizeBillNo('cf-ab-2'));
});
