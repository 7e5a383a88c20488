import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRequest } from '../../ports/connector.js';
import { cloudpayments } from './connector.js';
import type { CloudPaymentsSettings } from './settings.js';
import { checkCode, hmacOf, readAmount, transactionStatus } from './wire.js';

const SECRET = 'unit-cloudpayments-secret';
const settings = (() => {
  const r = cloudpayments.parseSettings({ public_id: 'pk_unit', api_secret: SECRET });
  assert.ok(r.ok);
  return r.value as CloudPaymentsSettings;
})();
const form = (f: Record<string, string>) => new URLSearchParams(f).toString();
const PAY = {
  TransactionId: '504',
  Amount: '1500.00',
  Currency: 'RUB',
  InvoiceId: '1042',
  AccountId: '1042',
  Status: 'Completed',
  Description: 'Заказ №1042 & co',
};
const req = (
  kind: string | undefined,
  body: string,
  headers: Record<string, string>,
  type = 'application/x-www-form-urlencoded',
): RawRequest => ({
  method: 'POST',
  headers: { 'content-type': type, ...headers },
  rawQuery: '',
  body: Buffer.from(body, 'utf8'),
  ...(kind !== undefined && { subpath: kind }),
});
const signed = (kind: string, fields: Record<string, string>) => {
  const body = form(fields);
  return req(kind, body, { 'content-hmac': hmacOf(SECRET, Buffer.from(body)) });
};

test('Content-HMAC is base64 HMAC-SHA256 of the raw body bytes; X-Content-HMAC of the decoded body', () => {
  // Our own vector (CloudPayments publishes none): the raw bytes, not a re-encoding, are signed.
  assert.equal(hmacOf('secret', Buffer.from('a=1&b=%D0%B6')), hmacOf('secret', 'a=1&b=%D0%B6'));
  assert.notEqual(hmacOf('secret', 'a=1&b=%D0%B6'), hmacOf('secret', 'a=1&b=ж'));
  const body = form(PAY);
  const decoded = decodeURIComponent(body.replace(/\+/g, ' '));
  assert.ok(
    cloudpayments.parseCallback(settings, req('pay', body, { 'content-hmac': hmacOf(SECRET, Buffer.from(body)) })).ok,
  );
  assert.ok(cloudpayments.parseCallback(settings, req('pay', body, { 'x-content-hmac': hmacOf(SECRET, decoded) })).ok);
  const headerSets: Record<string, string>[] = [
    {},
    { 'content-hmac': hmacOf('other', body) },
    { 'content-hmac': hmacOf(SECRET, `${body}&x=1`) },
  ];
  for (const h of headerSets) {
    const r = cloudpayments.parseCallback(settings, req('pay', body, h));
    assert.equal(!r.ok && r.error.code, 'callback_signature_invalid', JSON.stringify(h));
  }
});

test('each kind by its address: pay, fail, confirm, cancel are payments; check a question; refund a trigger', () => {
  const pay = cloudpayments.parseCallback(settings, signed('pay', PAY));
  assert.deepEqual(pay.ok && pay.value, {
    kind: 'payment',
    event: {
      providerRef: '1042',
      status: 'succeeded',
      providerStatus: 'pay: Completed',
      errorCode: null,
      amount: 150000,
      currency: 'RUB',
      providerPaymentId: '504',
    },
  });
  const held = cloudpayments.parseCallback(settings, signed('pay', { ...PAY, Status: 'Authorized' }));
  assert.ok(held.ok && held.value.kind === 'payment' && held.value.event.status === 'authorized');
  const failed = cloudpayments.parseCallback(
    settings,
    signed('fail', { ...PAY, Reason: 'InsufficientFunds', ReasonCode: '5051' }),
  );
  assert.ok(
    failed.ok &&
      failed.value.kind === 'payment' &&
      failed.value.event.status === 'failed' &&
      failed.value.event.errorCode === '5051',
  );
  const check = cloudpayments.parseCallback(settings, signed('check', PAY));
  assert.deepEqual(check.ok && check.value, {
    kind: 'question',
    providerRef: '1042',
    providerStatus: 'check',
    amount: 150000,
    currency: 'RUB',
  });
  const refund = cloudpayments.parseCallback(
    settings,
    signed('refund', { ...PAY, TransactionId: '505', PaymentTransactionId: '504' }),
  );
  assert.deepEqual(refund.ok && refund.value, {
    kind: 'trigger',
    providerRef: '1042',
    providerStatus: 'refund',
    verified: true,
  });
});

test('no kind, another field twice, or no invoice is malformed; JSON notices are read as well', () => {
  const body = form(PAY);
  const h = { 'content-hmac': hmacOf(SECRET, Buffer.from(body)) };
  assert.equal(cloudpayments.parseCallback(settings, req(undefined, body, h)).ok, false);
  const twice = `${body}&InvoiceId=other`;
  const r = cloudpayments.parseCallback(
    settings,
    req('pay', twice, { 'content-hmac': hmacOf(SECRET, Buffer.from(twice)) }),
  );
  assert.equal(!r.ok && r.error.code, 'callback_malformed');
  const json = JSON.stringify({ ...PAY, Amount: 1500.5, TransactionId: 504 });
  const j = cloudpayments.parseCallback(
    settings,
    req('pay', json, { 'content-hmac': hmacOf(SECRET, Buffer.from(json)) }, 'application/json'),
  );
  assert.ok(
    j.ok && j.value.kind === 'payment' && j.value.event.amount === 150050 && j.value.event.providerPaymentId === '504',
  );
});

test('the check is answered with CloudPayments’ codes; everything else with {"code":0}', () => {
  const body = (reply: Parameters<typeof cloudpayments.callbackResponse>[0]) =>
    JSON.parse(cloudpayments.callbackResponse(reply).body);
  assert.deepEqual(body({ kind: 'committed', outcome: 'applied' }), { code: 0 });
  assert.deepEqual(body({ kind: 'answered', accepted: true, reason: '' }), { code: 0 });
  assert.deepEqual(
    (['unknown', 'amount', 'expired', 'not_payable'] as const).map(
      (refusal) => body({ kind: 'answered', accepted: false, reason: '', refusal }).code,
    ),
    [10, 12, 20, 13],
  );
  assert.equal(checkCode(false), 13);
});

test('amounts and statuses', () => {
  assert.equal(readAmount('1500.00', 'RUB'), 150000);
  assert.equal(readAmount(10.1, 'RUB'), 1010);
  for (const bad of ['1e3', '-1', '1.001', '', undefined]) assert.equal(readAmount(bad, 'RUB'), -1, String(bad));
  assert.deepEqual(
    ['AwaitingAuthentication', 'Authorized', 'Completed', 'Cancelled', 'Declined', 'Other'].map(transactionStatus),
    ['pending', 'authorized', 'succeeded', 'canceled', 'failed', null],
  );
});
