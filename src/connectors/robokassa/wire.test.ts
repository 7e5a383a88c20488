import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import {
  isInvId,
  paymentSignature,
  readOutSum,
  resultSignature,
  shpSuffix,
  signatureMatches,
  stateStatus,
} from './wire.js';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

test("the official SDK's payment signature example", () => {
  assert.equal(
    paymentSignature('md5', { login: 'login', outSum: '5', invId: '154', password1: 'p1' }),
    'ea9bd729a4456cfbfb91294b8e2781d6',
  );
});

test('Shp_ pairs are sorted by key; in the payment signature their values are URL-encoded as the SDK does', () => {
  assert.equal(shpSuffix({ Shp_b: 'x', Shp_a: 'abc 1' }, true), ':Shp_a=abc+1:Shp_b=x');
  assert.equal(
    paymentSignature('md5', { login: 'l', outSum: '5', invId: '1', password1: 'p', shp: { Shp_b: '2', Shp_a: 'a b' } }),
    md5('l:5:1:p:Shp_a=a+b:Shp_b=2'),
  );
});

test("ResultURL's signature is over the strings as received, as in Robokassa's own example", () => {
  // docs.robokassa.ru: 100.000000:450009:Пароль#2:Shp_login=Vasya:Shp_oplata=1
  const expected = md5('100.000000:450009:Пароль#2:Shp_login=Vasya:Shp_oplata=1');
  assert.equal(
    resultSignature('md5', {
      outSum: '100.000000',
      invId: '450009',
      password2: 'Пароль#2',
      shp: { Shp_oplata: '1', Shp_login: 'Vasya' },
    }),
    expected,
  );
  assert.ok(signatureMatches(expected.toUpperCase(), expected));
  assert.equal(signatureMatches(expected.slice(1), expected), false);
  assert.equal(resultSignature('sha256', { outSum: '1', invId: '1', password2: 'p', shp: {} }).length, 64);
  assert.equal(resultSignature('sha512', { outSum: '1', invId: '1', password2: 'p', shp: {} }).length, 128);
});

test('InvId and OutSum are read exactly', () => {
  assert.ok(isInvId('154'));
  for (const bad of ['0', '-1', '01', '2147483648', '1.5', '', 'a']) assert.equal(isInvId(bad), false, bad);
  assert.equal(readOutSum('100.000000'), 10000);
  assert.equal(readOutSum('1500.5'), 150050);
  for (const bad of ['1e3', '-1', '1.001', '']) assert.equal(readOutSum(bad), -1, bad);
});

test('every documented state code has its meaning', () => {
  assert.deepEqual([5, 10, 20, 50, 60, 80, 100, 7].map(stateStatus), [
    'pending',
    'failed',
    'authorized',
    'authorized',
    'failed',
    null,
    'succeeded',
    null,
  ]);
});
