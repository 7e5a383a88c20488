import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRequest } from '../../ports/connector.js';
import { robokassa } from './connector.js';
import type { RobokassaSettings } from './settings.js';
import { readState } from './status.js';
import { resultSignature } from './wire.js';

const settings = (() => {
  const r = robokassa.parseSettings({ merchant_login: 'shop', password1: 'pw1', password2: 'pw2' });
  assert.ok(r.ok);
  return r.value as RobokassaSettings;
})();
const req = (fields: Record<string, string>, method: 'GET' | 'POST' = 'POST'): RawRequest => {
  const text = new URLSearchParams(fields).toString();
  return {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawQuery: method === 'GET' ? text : '',
    body: Buffer.from(method === 'POST' ? text : ''),
  };
};
const sign = (outSum: string, invId: string, shp: Record<string, string> = {}) =>
  resultSignature('md5', { outSum, invId, password2: 'pw2', shp });

test('ResultURL, by POST or GET, signed over the sum as sent, is a paid notice with that sum', () => {
  for (const method of ['POST', 'GET'] as const) {
    const r = robokassa.parseCallback(
      settings,
      req(
        { OutSum: '100.000000', InvId: '450009', SignatureValue: sign('100.000000', '450009').toUpperCase() },
        method,
      ),
    );
    assert.deepEqual(r.ok && r.value, {
      kind: 'payment',
      event: {
        providerRef: '450009',
        status: 'succeeded',
        providerStatus: 'result',
        errorCode: null,
        amount: 10000,
        currency: 'RUB',
      },
    });
  }
  const shp = { Shp_login: 'Vasya', Shp_oplata: '1' };
  assert.ok(
    robokassa.parseCallback(settings, req({ OutSum: '5', InvId: '7', ...shp, SignatureValue: sign('5', '7', shp) })).ok,
  );
});

test('a wrong signature, a changed sum or Shp_ field, or a field given twice is refused', () => {
  const good = { OutSum: '100.00', InvId: '9', SignatureValue: sign('100.00', '9') };
  const bad: [string, RawRequest, string][] = [
    ['wrong signature', req({ ...good, SignatureValue: sign('100.00', '8') }), 'callback_signature_invalid'],
    ['sum reformatted', req({ ...good, OutSum: '100.0' }), 'callback_signature_invalid'],
    ['Shp_ added', req({ ...good, Shp_x: '1' }), 'callback_signature_invalid'],
    ['no signature', req({ OutSum: '1', InvId: '9' }), 'callback_malformed'],
  ];
  for (const [what, r, code] of bad) {
    const got = robokassa.parseCallback(settings, r);
    assert.equal(!got.ok && got.error.code, code, what);
  }
  const twice = { ...req(good), body: Buffer.from(`${new URLSearchParams(good).toString()}&InvId=10`) };
  assert.equal(robokassa.parseCallback(settings, twice).ok, false);
});

test('the answer is OK{InvId}; the return page finds the payment by InvId; the signature is redacted', () => {
  assert.equal(robokassa.callbackResponse({ kind: 'committed', outcome: 'applied', providerRef: '154' }).body, 'OK154');
  assert.equal(robokassa.returnReference!(req({ OutSum: '5', InvId: '154' }, 'GET')), '154');
  assert.equal(robokassa.returnReference!(req({ InvId: 'x' }, 'GET')), undefined);
  const red = robokassa.redactCallback(
    req({ OutSum: '5', InvId: '1', SignatureValue: 'abcdef0123456789abcdef0123456789' }),
  );
  assert.ok(!red.body.includes('abcdef0123456789abcdef0123456789'));
});

test('OpStateExt answers read exactly, unknown invoices move nothing, errors are refusals', () => {
  const ref = { providerRef: '154', amount: 150000, currency: 'RUB' };
  const xml = (inner: string) =>
    `<?xml version="1.0"?><OperationStateResponse xmlns="http://merchant.roboxchange.com/WebService/">${inner}</OperationStateResponse>`;
  const paid = readState(
    xml('<Result><Code>0</Code></Result><State><Code>100</Code></State><Info><OutSum>1500.000000</OutSum></Info>'),
    ref,
  );
  assert.deepEqual(paid, {
    kind: 'answer',
    value: { providerRef: '154', status: 'succeeded', providerStatus: 'state 100', amount: 150000, currency: 'RUB' },
  });
  const unknown = readState(xml('<Result><Code>3</Code><Description>not found</Description></Result>'), ref);
  assert.ok(unknown.kind === 'answer' && unknown.value.status === null);
  assert.equal(readState(xml('<Result><Code>1</Code></Result>'), ref).kind, 'refused');
  assert.equal(readState('not xml <', ref).kind, 'unreadable');
});

test('the payment URL is signed with Password #1 and carries IsTest only in test mode', async () => {
  const started = await robokassa.startPayment(
    {
      settings,
      providerRef: '154',
      orderReference: 'A',
      description: 'Order A',
      amount: 500,
      currency: 'RUB',
      callbackUrl: 'x',
      returnUrl: 'y',
    },
    { http: { request: () => Promise.reject(new Error('no call')) } },
  );
  assert.ok(started.ok && started.value.next.type === 'redirect');
  const url = new URL(started.value.next.url);
  assert.equal(url.searchParams.get('OutSum'), '5.00');
  assert.equal(url.searchParams.get('IsTest'), null);
  assert.equal(robokassa.providerRef('A', 1).ok, false, 'numbered, never named');
});
