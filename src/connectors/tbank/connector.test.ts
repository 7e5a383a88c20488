import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRequest } from '../../ports/connector.js';
import { tbank } from './connector.js';
import type { TBankSettings } from './settings.js';
import { tbankToken } from './wire.js';

const PASSWORD = 'unit-tbank-password';
const settings = (() => {
  const r = tbank.parseSettings({ terminal_key: 'UnitTerminal', password: PASSWORD });
  assert.ok(r.ok);
  return r.value as TBankSettings;
})();

const notification = (over: Record<string, unknown> = {}, sign = true) => {
  const f: Record<string, unknown> = {
    TerminalKey: 'UnitTerminal',
    OrderId: '1042',
    Success: true,
    Status: 'CONFIRMED',
    PaymentId: 8347121,
    ErrorCode: '0',
    Amount: 150000,
    CardId: 322264,
    Pan: '430000******0777',
    ExpDate: '1130',
    DATA: { note: 'nested: not signed' },
    ...over,
  };
  if (sign) f.Token = tbankToken(f, PASSWORD);
  return f;
};
const req = (body: unknown, method = 'POST'): RawRequest => ({
  method,
  headers: { 'content-type': 'application/json' },
  rawQuery: '',
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

test('a signed notification is a payment with its signed amount, in roubles, and T-Bank’s PaymentId', () => {
  const r = tbank.parseCallback(settings, req(notification()));
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.value, {
    kind: 'payment',
    event: {
      providerRef: '1042',
      status: 'succeeded',
      providerStatus: 'CONFIRMED',
      errorCode: null,
      amount: 150000,
      currency: 'RUB',
      providerPaymentId: '8347121',
    },
  });
  const rejected = tbank.parseCallback(
    settings,
    req(notification({ Status: 'REJECTED', Success: false, ErrorCode: '1051' })),
  );
  assert.ok(rejected.ok && rejected.value.kind === 'payment');
  assert.equal(rejected.value.event.status, 'failed');
  assert.equal(rejected.value.event.errorCode, '1051');
});

test('a refund notification is a verified trigger for the payment; an unknown status moves nothing', () => {
  const r = tbank.parseCallback(settings, req(notification({ Status: 'PARTIAL_REFUNDED', Amount: 50000 })));
  assert.deepEqual(r.ok && r.value, {
    kind: 'trigger',
    providerRef: '1042',
    providerStatus: 'PARTIAL_REFUNDED',
    verified: true,
  });
  const odd = tbank.parseCallback(settings, req(notification({ Status: 'SOMETHING_NEW' })));
  assert.ok(odd.ok && odd.value.kind === 'payment' && odd.value.event.status === null);
});

test('a wrong Token, another terminal or a changed field is refused before anything is read', () => {
  const signed = notification();
  const cases: [string, unknown][] = [
    ['wrong token', { ...signed, Token: '0'.repeat(64) }],
    ['no token', notification({}, false)],
    ['amount changed after signing', { ...signed, Amount: 1 }],
    ['status changed after signing', { ...signed, Status: 'REFUNDED' }],
    ['another terminal', notification({ TerminalKey: 'OtherTerminal' })],
  ];
  for (const [what, body] of cases) {
    const r = tbank.parseCallback(settings, req(body));
    assert.equal(!r.ok && r.error.code, 'callback_signature_invalid', what);
  }
});

test('anything unreadable is callback_malformed, never a throw', () => {
  const bodies: unknown[] = [
    '',
    'not json',
    '[]',
    'null',
    notification({ OrderId: 'a:b' }),
    notification({ Amount: 1.5 }),
  ];
  for (const body of bodies) {
    const r = tbank.parseCallback(settings, req(body));
    assert.equal(!r.ok && r.error.code, 'callback_malformed', String(body));
  }
  assert.equal(tbank.parseCallback(settings, req(notification(), 'GET')).ok, false);
});

test('the callback log keeps the notification without its Token; the answer is OK', () => {
  const body = notification();
  const red = tbank.redactCallback(req(body));
  assert.ok(!red.body.includes(String(body.Token)));
  assert.match(red.body, /"Token":"\*\*\*"/);
  assert.deepEqual(tbank.callbackResponse({ kind: 'committed', outcome: 'applied' }), {
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    body: 'OK',
  });
});

test('settings: the password is a secret, the API root a plain http(s) URL', () => {
  assert.deepEqual(tbank.secretFields, ['password']);
  for (const bad of ['ftp://x', 'https://x/v2?a=1', 'https://u:p@x/v2'])
    assert.equal(tbank.parseSettings({ terminal_key: 'T', password: 'p', api_base_url: bad }).ok, false, bad);
  const r = tbank.parseSettings({ terminal_key: 'T', password: 'p' });
  assert.ok(r.ok && (r.value as TBankSettings).apiBaseUrl === 'https://securepay.tinkoff.ru/v2');
  assert.ok(
    !JSON.stringify(tbank.parseSettings({ terminal_key: 'bad key', password: 'sekrit-123' })).includes('sekrit-123'),
  );
});

test('references: the order’s own for attempt 1, a suffix after, within T-Bank’s 36 characters', () => {
  assert.deepEqual(tbank.providerRef('1042', 1), { ok: true, value: '1042' });
  assert.deepEqual(tbank.providerRef('1042', 3), { ok: true, value: '1042-3' });
  assert.equal(tbank.providerRef('x'.repeat(35), 2).ok, false);
});
