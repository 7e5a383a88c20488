import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpClient } from '../../adapters/http-client.js';
import type { ConnectorContext, PaymentRef } from '../../ports/connector.js';
import { ameria } from './connector.js';
import { startAmeriaSandbox, type RunningSandbox } from './sandbox.js';
import type { AmeriaSettings } from './settings.js';

const CLIENT = 'c771a553-1b4e-450e-bda2-032ac9c9be77';
const TWO_STAGE = 'two-stage-client';
const USER = 'vpos-user';
const PASSWORD = 'sandbox-Pa55';
const BACK = 'http://127.0.0.1:9/return/pay_1';

let running: RunningSandbox;
let now = Date.now();
const ctx: ConnectorContext = { http: createHttpClient({ defaultTimeoutMs: 400 }) };

before(async () => {
  running = await startAmeriaSandbox({
    now: () => now,
    merchants: [
      { clientId: CLIENT, username: USER, password: PASSWORD, orderIdFrom: 1000, orderIdTo: 1999 },
      { clientId: TWO_STAGE, username: USER, password: PASSWORD, orderIdFrom: 1, orderIdTo: 999, twoStage: true },
    ],
  });
});
after(async () => running.close());

function settings(over: Record<string, unknown> = {}): AmeriaSettings {
  const r = ameria.parseSettings({
    client_id: CLIENT,
    username: USER,
    password: PASSWORD,
    api_base_url: running.url,
    order_id_from: 1000,
    order_id_to: 1999,
    language: 'en',
    ...over,
  });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

let nextOrder = 1000;
let nextHeld = 1;

/** Starts a payment through the connector; returns what Settle would store of it. */
async function started(s = settings(), amount = 150000, orderId = nextOrder++): Promise<PaymentRef & { url: string }> {
  const r = await ameria.startPayment(
    {
      settings: s,
      providerRef: String(orderId),
      orderReference: `FD-${orderId}`,
      description: `Order FD-${orderId}`,
      amount,
      currency: 'AMD',
      callbackUrl: 'http://127.0.0.1:9/callbacks/pm_1',
      returnUrl: BACK,
    },
    ctx,
  );
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.next.type, 'redirect');
  return {
    providerRef: String(orderId),
    providerPaymentId: r.value.providerPaymentId,
    amount,
    currency: 'AMD',
    url: r.value.next.type === 'redirect' ? r.value.next.url : '',
  };
}

/** The customer opens the page and presses a button; returns where the browser is sent. */
async function press(url: string, button: 'pay' | 'decline'): Promise<URL> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const form = new RegExp(`<form[^>]*action="([^"]*/${button})"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(form?.[1], 'the page has the button');
  const id = /name="id" value="([^"]+)"/.exec(form[2] ?? '')?.[1] ?? '';
  const res = await fetch(new URL(form[1], url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id }).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  return new URL(res.headers.get('location')!);
}

const check = async (p: PaymentRef, s = settings()) => {
  const r = await ameria.checkStatus!(s, p, ctx);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
};

test('a payment: InitPayment, the page, the return to BackURL with the four parameters, and the details', async () => {
  const p = await started();
  assert.match(p.providerPaymentId!, /^[0-9A-F-]{36}$/);
  assert.equal((await check(p)).status, 'pending');
  const back = await press(p.url, 'pay');
  assert.equal(`${back.origin}${back.pathname}`, BACK);
  assert.deepEqual(Object.fromEntries(back.searchParams), {
    orderID: p.providerRef,
    resposneCode: '00',
    paymentID: p.providerPaymentId!.toLowerCase(),
    opaque: `FD-${p.providerRef}`,
  });
  assert.deepEqual(await check(p), {
    providerRef: p.providerRef,
    status: 'succeeded',
    providerStatus: '2 payment_deposited',
    errorCode: null,
    amount: 150000,
    currency: 'AMD',
  });
  // The page of a payment no longer open says so.
  assert.equal((await fetch(p.url)).status, 409);
});

test('a declined card: failed, with the decline code (the declineCode switch sets it)', async () => {
  const p = await started();
  const back = await press(p.url, 'decline');
  assert.equal(back.searchParams.get('resposneCode'), '0116');
  const e = await check(p);
  assert.deepEqual([e.status, e.errorCode], ['failed', '0116']);
  const q = await started();
  running.sandbox.setSwitches(q.providerRef, { declineCode: '0-2006' });
  running.sandbox.decline(q.providerPaymentId!);
  assert.equal((await check(q)).errorCode, '0-2006');
});

const post = async (op: string, body: unknown) => {
  const res = await fetch(`${running.url}/api/VPOS/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

test('InitPayment checks the credentials, the range, the amount and the currency; a repeated OrderID answers the first payment', async () => {
  const base = { ClientID: CLIENT, Username: USER, Password: PASSWORD, Description: 'x', Amount: 10, Currency: '051' };
  const codes = async (over: Record<string, unknown>) =>
    (await post('InitPayment', { ...base, OrderID: 1900, ...over })).body.ResponseCode;
  assert.equal(await codes({ Password: 'wrong' }), 20);
  assert.equal(await codes({ ClientID: 'nobody' }), 20);
  assert.equal(await codes({ OrderID: 2000 }), 5);
  assert.equal(await codes({ OrderID: 999 }), 5);
  assert.equal(await codes({ OrderID: '1901' }), 5);
  assert.equal(await codes({ Amount: 0 }), 50);
  assert.equal(await codes({ Amount: 1.001 }), 50);
  assert.equal(await codes({ Currency: 'AMD' }), 3);
  assert.equal(await codes({ Description: '' }), 4);
  const first = await post('InitPayment', { ...base, OrderID: 1902 });
  assert.equal(first.body.ResponseCode, 1);
  const again = await post('InitPayment', { ...base, OrderID: 1902, Opaque: 'second' });
  assert.deepEqual(again.body, { PaymentID: first.body.PaymentID, ResponseCode: 1, ResponseMessage: 'OK' });
  assert.equal(running.sandbox.getPayment(String(first.body.PaymentID))?.opaque, 'second');
  const refused = await ameria.startPayment(
    {
      settings: settings({ password: 'wrong-password' }),
      providerRef: '1903',
      orderReference: 'x',
      description: 'x',
      amount: 100,
      currency: 'AMD',
      callbackUrl: BACK,
      returnUrl: BACK,
    },
    ctx,
  );
  assert.ok(!refused.ok && refused.error.outcome === 'refused');
  assert.equal(JSON.stringify(refused).includes('wrong-password'), false);
});

test('GetPaymentDetails with a wrong password is the failed lookup ("550"): a refusal, never a status', async () => {
  const p = await started();
  const r = await ameria.checkStatus!(settings({ password: 'nope' }), p, ctx);
  assert.ok(!r.ok && r.error.outcome === 'refused' && r.error.details?.errorCode === '550');
});

test('refunds: partial, repeated, never beyond what is deposited; the details follow (observed shape)', async () => {
  const p = await started(settings(), 150000);
  await press(p.url, 'pay');
  const refund = (amount: number, refundedBefore: number, resend = false) =>
    ameria.refund!(settings(), { payment: p, refundId: 'rf', amount, refundedBefore, resend }, ctx);
  assert.equal((await refund(40000, 0)).ok, true);
  assert.equal((await refund(30000, 40000)).ok, true);
  const over = await refund(90000, 70000);
  assert.ok(!over.ok && over.error.outcome === 'refused' && /exceeds deposited/.test(over.error.message));
  const sp = running.sandbox.getPayment(p.providerPaymentId!)!;
  assert.deepEqual([sp.orderStatus, sp.deposited, sp.refunded], [4, 80000, 70000]);
  // A payment first seen after refunds states what is left, so it is held for a person.
  const e = await check(p);
  assert.deepEqual([e.status, e.amount, e.providerStatus], ['succeeded', 80000, '4 payment_refunded']);
});

test('a refund whose answer never came (timeoutMs) was made: the resend checks and does not pay twice', async () => {
  const p = await started();
  await press(p.url, 'pay');
  running.sandbox.setSwitches(p.providerRef, { timeoutMs: 1000 });
  const input = { payment: p, refundId: 'rf', amount: 50000, refundedBefore: 0, resend: false };
  const first = await ameria.refund!(settings(), input, ctx);
  assert.ok(!first.ok && first.error.code === 'provider_unreachable' && first.error.outcome === 'unknown');
  running.sandbox.setSwitches(p.providerRef, {});
  const again = await ameria.refund!(settings(), { ...input, resend: true }, ctx);
  assert.deepEqual(again, { ok: true, value: { status: 'succeeded', providerRef: null } });
  assert.equal(running.sandbox.getPayment(p.providerPaymentId!)?.refunded, 50000);
});

test('a refund that never reached the bank (apiHttpStatus) is sent again, once', async () => {
  const p = await started();
  await press(p.url, 'pay');
  running.sandbox.setSwitches(p.providerRef, { apiHttpStatus: 502 });
  const input = { payment: p, refundId: 'rf', amount: 50000, refundedBefore: 0, resend: false };
  const first = await ameria.refund!(settings(), input, ctx);
  assert.ok(!first.ok && first.error.code === 'provider_answer_invalid');
  running.sandbox.setSwitches(p.providerRef, {});
  assert.equal((await ameria.refund!(settings(), { ...input, resend: true }, ctx)).ok, true);
  assert.equal(running.sandbox.getPayment(p.providerPaymentId!)?.refunded, 50000);
  running.sandbox.setSwitches(p.providerRef, { refundError: '0341041' });
  const no = await ameria.refund!(settings(), { ...input, refundedBefore: 50000 }, ctx);
  running.sandbox.setSwitches(p.providerRef, {});
  assert.ok(!no.ok && no.error.outcome === 'refused' && no.error.details?.errorCode === '0341041');
});

test('reportAmount and reportCurrency change what GetPaymentDetails reports', async () => {
  const p = await started();
  await press(p.url, 'pay');
  running.sandbox.setSwitches(p.providerRef, { reportAmount: 149900 });
  assert.equal((await check(p)).amount, 149900);
  running.sandbox.setSwitches(p.providerRef, { reportCurrency: 'USD' });
  assert.equal((await check(p)).currency, 'USD');
  running.sandbox.setSwitches(p.providerRef, {});
  assert.equal((await check(p)).amount, 150000);
});

test('two-stage: paying holds; capture takes it, void releases it; neither acts on a payment taken', async () => {
  const s = settings({ client_id: TWO_STAGE, order_id_from: 1, order_id_to: 999 });
  const p = await started(s, 150000, nextHeld++);
  await press(p.url, 'pay');
  const held = await check(p, s);
  assert.deepEqual([held.status, held.amount], ['authorized', 150000]);
  const c = await ameria.capture!(s, { ...p, captureAmount: 150000 }, ctx);
  assert.ok(c.ok && c.value.status === 'succeeded' && c.value.amount === 150000);
  const v = await ameria.void!(s, p, ctx);
  assert.ok(v.ok && v.value.status === 'succeeded', 'a payment taken is not reversed by a void');
  assert.equal(running.sandbox.getPayment(p.providerPaymentId!)?.orderStatus, 2);

  const q = await started(s, 150000, nextHeld++);
  await press(q.url, 'pay');
  running.sandbox.setSwitches(q.providerRef, { cancelError: '514' });
  const refused = await ameria.void!(s, q, ctx);
  assert.ok(!refused.ok && refused.error.details?.errorCode === '514');
  running.sandbox.setSwitches(q.providerRef, {});
  const released = await ameria.void!(s, q, ctx);
  assert.ok(released.ok && released.value.status === 'canceled');
});

test('API switches: timeoutMs and apiHttpStatus are of unknown outcome; initError refuses the start', async () => {
  const p = await started();
  running.sandbox.setSwitches(p.providerRef, { timeoutMs: 1000 });
  const slow = await ameria.checkStatus!(settings(), p, ctx);
  assert.ok(!slow.ok && slow.error.code === 'provider_unreachable');
  running.sandbox.setSwitches('*', { apiHttpStatus: 503 });
  const down = await ameria.checkStatus!(settings(), p, ctx);
  assert.ok(!down.ok && down.error.code === 'provider_answer_invalid' && /HTTP 503/.test(down.error.message));
  running.sandbox.setSwitches('*', { initError: '20' });
  running.sandbox.setSwitches(p.providerRef, {});
  const r = await ameria.startPayment(
    {
      settings: settings(),
      providerRef: '1990',
      orderReference: 'x',
      description: 'x',
      amount: 100,
      currency: 'AMD',
      callbackUrl: BACK,
      returnUrl: BACK,
    },
    ctx,
  );
  running.sandbox.setSwitches('*', {});
  assert.ok(!r.ok && r.error.outcome === 'refused' && r.error.details?.errorCode === '20');
});

test('unattemptedFault: the details of a payment never opened are an HTTP 500, as observed live', async () => {
  running.sandbox.setSwitches('*', { unattemptedFault: true });
  const p = await started();
  const r = await ameria.checkStatus!(settings(), p, ctx);
  assert.ok(!r.ok && r.error.code === 'provider_answer_invalid' && r.error.outcome === 'unknown');
  await fetch(p.url);
  assert.equal((await check(p)).status, 'pending');
  running.sandbox.setSwitches('*', {});
});

test('an unpaid payment is declined by the bank once its session (InitPayment Timeout) is over', async () => {
  const p = await started();
  now += 1200_001;
  const e = await check(p);
  assert.deepEqual([e.status, e.errorCode], ['failed', '0-2007']);
  assert.equal((await fetch(p.url)).status, 409);
});

test('control routes: merchants, switches (validated) and payments', async () => {
  const ctl = (path: string, body: unknown) =>
    fetch(`${running.url}/_sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  assert.equal(
    (await ctl('merchants', { clientId: 'x', username: 'u', password: 'p', orderIdFrom: 5, orderIdTo: 1 })).status,
    400,
  );
  assert.equal(
    (await ctl('merchants', { clientId: 'x', username: 'u', password: 'p', orderIdFrom: 1, orderIdTo: 5 })).status,
    201,
  );
  for (const bad of [
    { reportAmount: -1 },
    { reportCurrency: 'ZZZ' },
    { drop: true },
    { orderId: 'abc' },
    { timeoutMs: 'x' },
  ])
    assert.equal((await ctl('switches', bad)).status, 400, JSON.stringify(bad));
  const okRes = await ctl('switches', { orderId: '1500', reportAmount: 5, cancelError: '0-2012' });
  assert.deepEqual(await okRes.json(), { orderId: '1500', switches: { cancelError: '0-2012', reportAmount: 5 } });
  await ctl('switches', { orderId: '1500' });
  const p = await started();
  const got = await fetch(`${running.url}/_sandbox/payments/${p.providerPaymentId}`);
  assert.equal(((await got.json()) as { orderId: number }).orderId, Number(p.providerRef));
  assert.equal((await fetch(`${running.url}/_sandbox/payments/nope`)).status, 404);
});
