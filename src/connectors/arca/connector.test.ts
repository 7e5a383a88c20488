import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { Secret } from '../../domain/secret.js';
import { ProviderUnreachable } from '../../ports/http-client.js';
import { connectorRegistry, getConnector } from '../registry.js';
import { arca } from './connector.js';
import { sandboxKeys } from './sandbox-keys.js';
import { json, PASSWORD, PAYMENT, RAW_SETTINGS, scripted, settings, statusAnswer } from './test-support.test.js';

function settingsError(over: Record<string, unknown>): { code: string; message: string; field: unknown } {
  const r = arca.parseSettings({ ...RAW_SETTINGS, ...over });
  assert.equal(r.ok, false);
  if (r.ok) throw new Error('unreachable');
  return { code: r.error.code, message: r.error.message, field: r.error.details?.field };
}

test('registry holds arca', () => {
  assert.equal(connectorRegistry().get('arca'), arca);
  assert.equal(getConnector('arca'), arca);
});

test('settings: defaults, secrets wrapped, the base URL loses its trailing slash', () => {
  const s = settings({ api_base_url: undefined });
  assert.equal(s.apiBaseUrl, 'https://ipay.arca.am/payment/rest');
  assert.equal(s.language, 'en');
  assert.equal(s.callbackHmacKey, undefined);
  assert.equal(s.callbackPublicKey, undefined);
  assert.equal(settings().apiBaseUrl, 'https://ipaytest.example.test:8445/payment/rest');
  const keyed = settings({ callback_hmac_key: 'hmac-key-1', language: 'hy' });
  assert.equal(keyed.callbackHmacKey?.reveal(), 'hmac-key-1');
  assert.equal(keyed.language, 'hy');
  for (const text of [JSON.stringify(keyed), inspect(keyed)]) {
    assert.equal(text.includes(PASSWORD), false);
    assert.equal(text.includes('hmac-key-1'), false);
  }
  assert.deepEqual([...arca.secretFields].sort(), ['callback_hmac_key', 'password']);
  assert.equal(settings({ password: new Secret(PASSWORD) }).password.reveal(), PASSWORD);
});

test('settings: the public key may be a PEM key, a certificate or one line of base64', () => {
  const keys = sandboxKeys();
  for (const form of [keys.publicKeyPem, keys.certificatePem, keys.certificateBase64]) {
    assert.equal(settings({ callback_public_key: form }).callbackPublicKey?.asymmetricKeyType, 'rsa');
  }
  const priv = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const e = settingsError({ callback_public_key: priv });
  assert.equal(e.field, 'callback_public_key');
  assert.match(e.message, /private key/);
  assert.equal(e.message.includes(priv.slice(40, 80)), false);
  assert.equal(settingsError({ callback_public_key: 'not a key' }).field, 'callback_public_key');
});

test('settings: bad values are refused naming the field, never showing a secret', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ username: undefined }, 'username'],
    [{ username: '' }, 'username'],
    [{ username: 'a b' }, 'username'],
    [{ username: 'u'.repeat(101) }, 'username'],
    [{ password: undefined }, 'password'],
    [{ password: '' }, 'password'],
    [{ password: 'p'.repeat(201) }, 'password'],
    [{ api_base_url: 'ftp://x.test' }, 'api_base_url'],
    [{ api_base_url: 'https://x.test/rest?x=1' }, 'api_base_url'],
    [{ api_base_url: `https://u:${PASSWORD}@x.test/rest` }, 'api_base_url'],
    [{ callback_hmac_key: '' }, 'callback_hmac_key'],
    [{ language: 'EN' }, 'language'],
    [{ language: 'eng' }, 'language'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [over, field] of cases) {
    const e = settingsError(over);
    assert.equal(e.code, 'settings_invalid');
    assert.equal(e.field, field, JSON.stringify(over));
    assert.equal(e.message.includes(PASSWORD), false);
  }
});

test('providerRef: attempt 1 is the reference as is, attempt n adds -n, within 32 characters', () => {
  assert.deepEqual(arca.providerRef('FD-1240', 1), { ok: true, value: 'FD-1240' });
  assert.deepEqual(arca.providerRef('FD-1240', 2), { ok: true, value: 'FD-1240-2' });
  assert.deepEqual(arca.providerRef('x'.repeat(30), 2), { ok: true, value: `${'x'.repeat(30)}-2` });
  for (const [ref, n] of [
    ['x'.repeat(31), 2],
    ['x'.repeat(33), 1],
    ['fd 1', 1],
    ['заказ', 1],
    ['', 1],
    ['ok', 0],
  ] as const) {
    const r = arca.providerRef(ref, n);
    assert.ok(!r.ok && r.error.code === 'reference_invalid', `${ref} ${n}`);
  }
  assert.equal(arca.normalizeRef('FD-1240-2'), arca.normalizeRef('fd-1240-2'));
});

const START = {
  providerRef: 'FD-1240',
  orderReference: 'FD-1240',
  description: 'Order FD-1240',
  amount: 150000,
  currency: 'AMD',
  callbackUrl: 'https://settle.test/callbacks/pm_1',
  returnUrl: 'https://settle.test/return/pay_1',
};

test('startPayment posts register.do as a form and answers the payment page and the order id', async () => {
  const { ctx, sent, raw } = scripted({
    'register.do': [
      json(200, { orderId: PAYMENT.providerPaymentId, formUrl: 'https://pay.test/payment_en.html?mdOrder=x' }),
    ],
  });
  const r = await arca.startPayment({ ...START, settings: settings({ language: 'ru' }) }, ctx);
  assert.deepEqual(r, {
    ok: true,
    value: {
      next: { type: 'redirect', url: 'https://pay.test/payment_en.html?mdOrder=x' },
      providerPaymentId: PAYMENT.providerPaymentId,
    },
  });
  assert.equal(raw[0]?.method, 'POST');
  assert.equal(raw[0]?.headers?.['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(sent[0]?.path, '/payment/rest/register.do');
  assert.deepEqual(sent[0]?.form, {
    userName: 'shop-api',
    password: PASSWORD,
    orderNumber: 'FD-1240',
    amount: '150000',
    currency: '051',
    returnUrl: START.returnUrl,
    failUrl: START.returnUrl,
    description: 'Order FD-1240',
    language: 'ru',
  });
});

test('startPayment: an errorCode is a refusal with the code, as a string or a number; secrets never shown', async () => {
  for (const errorCode of ['1', 1]) {
    const { ctx } = scripted({
      'register.do': [json(200, { errorCode, errorMessage: `Order number is duplicated ${PASSWORD}` })],
    });
    const r = await arca.startPayment({ ...START, settings: settings() }, ctx);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'provider_error');
    assert.equal(r.error.outcome, 'refused');
    assert.equal(r.error.details?.errorCode, '1');
    assert.equal(JSON.stringify(r.error).includes(PASSWORD), false);
    assert.match(r.error.message, /duplicated \*\*\*/);
  }
  const denied = scripted({ 'register.do': [json(200, { success: false, errorCode: 0 })] });
  const d = await arca.startPayment({ ...START, settings: settings() }, denied.ctx);
  assert.ok(!d.ok && d.error.outcome === 'refused');
});

test('startPayment refuses what it cannot send, without calling', async () => {
  const { ctx, sent } = scripted({});
  for (const [over, code] of [
    [{ providerRef: 'fd 1' }, 'reference_invalid'],
    [{ amount: 0 }, 'amount_invalid'],
    [{ amount: 1.5 }, 'amount_invalid'],
    [{ currency: 'ZZZ' }, 'amount_invalid'],
  ] as const) {
    const r = await arca.startPayment({ ...START, ...over, settings: settings() }, ctx);
    assert.ok(!r.ok && r.error.code === code && r.error.outcome === 'not_sent', JSON.stringify(over));
  }
  assert.equal(sent.length, 0);
});

test('calls with no usable answer are "outcome unknown"; messages hide the URL and the body', async () => {
  const s = settings();
  const answers = [
    new ProviderUnreachable('timeout', 'POST https://ipaytest.example.test:8445: no answer'),
    new ProviderUnreachable('network', 'POST https://ipaytest.example.test:8445: network error'),
    json(500, { errorCode: '0' }),
    json(502, {}),
    json(404, {}),
    { status: 200, headers: {}, body: '<html>maintenance</html>' },
    json(200, ['x']),
    json(200, { errorCode: 'abc' }),
    json(200, { errorCode: '0' }), // register.do: no orderId
    json(200, { orderId: 'x y', formUrl: 'https://pay.test/' }),
    json(200, { orderId: 'abc', formUrl: 'javascript:alert(1)' }),
  ];
  for (const answer of answers) {
    const r = await arca.startPayment({ ...START, settings: s }, scripted({ 'register.do': [answer] }).ctx);
    assert.ok(!r.ok);
    assert.equal(r.error.outcome, 'unknown', JSON.stringify(answer));
    assert.equal(/https?:|password|userName/.test(r.error.message), false, r.error.message);
  }
  const st = await arca.checkStatus!(s, PAYMENT, scripted({ 'getOrderStatusExtended.do': [json(503, {})] }).ctx);
  assert.ok(!st.ok && st.error.outcome === 'unknown' && /HTTP 503/.test(st.error.message));
});

test('checkStatus asks by mdOrder (by orderNumber without one) and states amount and currency', async () => {
  const { ctx, sent } = scripted({ 'getOrderStatusExtended.do': [statusAnswer(2), statusAnswer(0)] });
  const r = await arca.checkStatus!(settings(), PAYMENT, ctx);
  assert.deepEqual(r, {
    ok: true,
    value: {
      providerRef: 'FD-1240',
      status: 'succeeded',
      providerStatus: 'orderStatus=2',
      errorCode: null,
      amount: 150000,
      currency: 'AMD',
    },
  });
  assert.equal(sent[0]?.form.orderId, PAYMENT.providerPaymentId);
  assert.equal(sent[0]?.form.orderNumber, undefined);
  await arca.checkStatus!(settings(), { ...PAYMENT, providerPaymentId: null }, ctx);
  assert.equal(sent[1]?.form.orderNumber, 'FD-1240');
});

test('checkStatus: a decline carries its actionCode; an undocumented status moves nothing; errors refuse', async () => {
  const s = settings();
  const check = async (answer: ReturnType<typeof json>) =>
    arca.checkStatus!(s, PAYMENT, scripted({ 'getOrderStatusExtended.do': [answer] }).ctx);
  const declined = await check(statusAnswer(6));
  assert.ok(declined.ok && declined.value.status === 'failed' && declined.value.errorCode === '116');
  const odd = await check(statusAnswer(42));
  assert.ok(odd.ok && odd.value.status === null && odd.value.providerStatus === 'orderStatus=42');
  const asString = await check(statusAnswer(0, { orderStatus: '1', currency: 51 }));
  assert.ok(asString.ok && asString.value.status === 'authorized' && asString.value.currency === 'AMD');
  const other = await check(statusAnswer(2, { amount: 149900, currency: '840', paymentAmountInfo: undefined }));
  assert.ok(other.ok && other.value.amount === 149900 && other.value.currency === 'USD');
  const unknownOrder = await check(json(200, { errorCode: 6, errorMessage: 'Unregistered orderId' }));
  assert.ok(!unknownOrder.ok && unknownOrder.error.outcome === 'refused');
  assert.equal(unknownOrder.error.details?.errorCode, '6');
  const another = await check(statusAnswer(2, { orderNumber: 'FD-9999' }));
  assert.ok(!another.ok && another.error.outcome === 'unknown' && /another orderNumber/.test(another.error.message));
  const sameButCase = await check(statusAnswer(2, { orderNumber: 'fd-1240' }));
  assert.ok(sameButCase.ok && sameButCase.value.status === 'succeeded');
  const noStatus = await check(json(200, { errorCode: '0' }));
  assert.ok(!noStatus.ok && noStatus.error.outcome === 'unknown');
});
