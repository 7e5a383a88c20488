import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createHttpClient } from '../../adapters/http-client.js';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { ConnectorContext, RawRequest } from '../../ports/connector.js';
import { arca } from './connector.js';
import { ArcaSandbox, startArcaSandbox, type ArcaSandboxOptions } from './sandbox.js';
import type { ArcaSettings } from './settings.js';

const USER = 'shop-api';
const PASS = 'sandbox-pass-7';
const HMAC = 'sandbox-hmac-key-3';
const ctx: ConnectorContext = { http: createHttpClient({ defaultTimeoutMs: 1000 }) };

/** A callback receiver that reads with the connector, like Settle: 200 when valid, 403/400 when not. */
async function startReceiver() {
  const calls: RawRequest[] = [];
  const notices: ProviderNotice[] = [];
  let s: ArcaSettings | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, rawQuery = ''] = (req.url ?? '').split(/\?(.*)/s);
      const raw: RawRequest = { method: req.method ?? '', headers: req.headers, rawQuery, body: Buffer.concat(chunks) };
      calls.push(raw);
      const r = s ? arca.parseCallback(s, raw) : undefined;
      if (r?.ok) notices.push(r.value);
      res.writeHead(!r || r.ok ? 200 : r.error.code === 'callback_signature_invalid' ? 403 : 400).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/pm_1`,
    calls,
    notices,
    verifyWith: (x: ArcaSettings) => void (s = x),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function setup(opts: ArcaSandboxOptions & { rsa?: boolean } = {}) {
  const receiver = await startReceiver();
  const running = await startArcaSandbox({ retryBaseDelayMs: 20, retryAttempts: 3, ...opts });
  const keys = running.sandbox.addMerchant({
    username: USER,
    password: PASS,
    callbackUrl: receiver.url,
    hmacKey: HMAC,
    rsa: opts.rsa,
  });
  const parsed = arca.parseSettings({
    username: USER,
    password: PASS,
    api_base_url: `${running.url}/payment/rest`,
    ...(keys ? { callback_public_key: keys.certificateBase64 } : { callback_hmac_key: HMAC }),
  });
  assert.ok(parsed.ok);
  receiver.verifyWith(parsed.value);
  return {
    receiver,
    settings: parsed.value,
    url: running.url,
    sandbox: running.sandbox,
    async start(orderNumber: string, amount = 150000, currency = 'AMD') {
      const r = await arca.startPayment(
        {
          settings: parsed.value,
          providerRef: orderNumber,
          orderReference: orderNumber,
          description: `Order ${orderNumber}`,
          amount,
          currency,
          callbackUrl: receiver.url,
          returnUrl: 'http://127.0.0.1:9/return/pay_1',
        },
        ctx,
      );
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      const payment = { providerRef: orderNumber, providerPaymentId: r.value.providerPaymentId!, amount, currency };
      return { payment, url: r.value.next.url };
    },
    async done() {
      await running.close();
      await receiver.close();
    },
  };
}

/** Opens the payment page and presses one of its buttons, as a browser does. */
async function press(pageUrl: string, button: 'pay' | 'decline') {
  const page = await fetch(pageUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const form = new RegExp(
    `<form method="post" action="(${button})"><input type="hidden" name="mdOrder" value="([^"]+)">`,
  ).exec(html);
  assert.ok(form, `no ${button} form`);
  return fetch(new URL(form[1]!, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ mdOrder: form[2]! }).toString(),
    redirect: 'manual',
  });
}

test('register, pay on the page, a signed GET callback, the browser sent back, the status paid', async () => {
  const t = await setup();
  try {
    const { payment, url } = await t.start('FD-1240');
    assert.match(url, new RegExp(`^${t.url}/payment/merchants/${USER}/payment_en\\.html\\?mdOrder=`));
    const page = await (await fetch(url)).text();
    assert.match(page, /data-testid="order-id">FD-1240</);
    assert.match(page, /data-testid="amount">1500\.00 AMD</);
    const res = await press(url, 'pay');
    assert.equal(res.status, 303);
    assert.equal(
      res.headers.get('location'),
      `http://127.0.0.1:9/return/pay_1?orderId=${payment.providerPaymentId}&lang=en`,
    );
    assert.equal(t.receiver.calls.length, 1);
    const call = t.receiver.calls[0]!;
    assert.equal(call.method, 'GET');
    const q = new URLSearchParams(call.rawQuery);
    assert.deepEqual([...q.keys()], ['mdOrder', 'orderNumber', 'operation', 'status', 'amount', 'checksum']);
    assert.equal(q.get('operation'), 'deposited');
    assert.deepEqual(t.receiver.notices, [
      { kind: 'trigger', providerRef: payment.providerPaymentId, providerStatus: 'deposited:1', verified: true },
    ]);
    const st = await arca.checkStatus!(t.settings, payment, ctx);
    assert.ok(st.ok && st.value.status === 'succeeded' && st.value.amount === 150000 && st.value.currency === 'AMD');
    assert.equal((await fetch(url)).status, 409); // paid: the page is closed
  } finally {
    await t.done();
  }
});

test('decline: callback with status 0, the browser to failUrl, the status declined with its actionCode', async () => {
  const t = await setup();
  try {
    const { payment, url } = await t.start('FD-7');
    t.sandbox.setSwitches('fd-7', { declineCode: '5' });
    const res = await press(url, 'decline');
    assert.equal(res.status, 303);
    assert.equal(t.receiver.notices[0]?.kind === 'trigger' && t.receiver.notices[0].providerStatus, 'deposited:0');
    const st = await arca.checkStatus!(t.settings, payment, ctx);
    assert.ok(st.ok && st.value.status === 'failed' && st.value.errorCode === '5');
  } finally {
    await t.done();
  }
});

test('orderNumber is unique per merchant; a wrong login is refused', async () => {
  const t = await setup();
  try {
    await t.start('FD-1');
    const again = await arca.startPayment(
      {
        settings: t.settings,
        providerRef: 'FD-1',
        orderReference: 'FD-1',
        description: 'x',
        amount: 100,
        currency: 'AMD',
        callbackUrl: '',
        returnUrl: 'http://127.0.0.1:9/r',
      },
      ctx,
    );
    assert.ok(!again.ok && again.error.outcome === 'refused' && again.error.details?.errorCode === '1');
    const wrong = arca.parseSettings({ username: USER, password: 'nope', api_base_url: `${t.url}/payment/rest` });
    assert.ok(wrong.ok);
    const denied = await arca.checkStatus!(wrong.value, { providerRef: 'FD-1', amount: 100, currency: 'AMD' }, ctx);
    assert.ok(!denied.ok && denied.error.details?.errorCode === '5');
  } finally {
    await t.done();
  }
});

test('cancel reverses an open order; refunds are partial and never beyond the deposit', async () => {
  const t = await setup();
  try {
    const open = await t.start('FD-C');
    const c = await arca.cancel!(t.settings, open.payment, ctx);
    assert.ok(c.ok && c.value.status === 'canceled');
    assert.equal(t.sandbox.getOrder(open.payment.providerPaymentId)?.orderStatus, 3);

    const paid = await t.start('FD-R');
    await t.sandbox.pay(paid.payment.providerPaymentId);
    const refund = (amount: number, refundedBefore = 0, resend = false) =>
      arca.refund!(t.settings, { payment: paid.payment, refundId: 'rf', amount, refundedBefore, resend }, ctx);
    assert.ok((await refund(50000)).ok);
    assert.ok((await refund(50000, 50000, true)).ok); // not made yet: sent
    assert.ok((await refund(50000, 50000, true)).ok); // now made: answered without sending
    assert.equal(t.sandbox.getOrder(paid.payment.providerPaymentId)?.refunded, 100000);
    const tooMuch = await refund(60000);
    assert.ok(!tooMuch.ok && tooMuch.error.outcome === 'refused');
    const st = await arca.checkStatus!(t.settings, paid.payment, ctx);
    assert.ok(st.ok && st.value.status === 'succeeded' && st.value.providerStatus === 'orderStatus=4');
    assert.equal(st.ok && st.value.amount, 50000); // what is left paid
    // A paid order is not reversed by a cancel.
    const late = await arca.cancel!(t.settings, paid.payment, ctx);
    assert.ok(late.ok && late.value.status === 'succeeded');
    await t.sandbox.idle();
  } finally {
    await t.done();
  }
});

test('a held order (registerPreAuth.do) is captured with deposit.do, or voided with reverse.do', async () => {
  const t = await setup();
  try {
    const register = async (orderNumber: string) => {
      const res = await fetch(`${t.url}/payment/rest/registerPreAuth.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          userName: USER,
          password: PASS,
          orderNumber,
          amount: '150000',
          currency: '051',
          returnUrl: 'http://127.0.0.1:9/r',
        }).toString(),
      });
      const body = (await res.json()) as { orderId: string };
      await t.sandbox.pay(body.orderId);
      return { providerRef: orderNumber, providerPaymentId: body.orderId, amount: 150000, currency: 'AMD' };
    };
    const a = await register('HOLD-1');
    const last = t.receiver.notices.at(-1);
    assert.equal(last?.kind === 'trigger' && last.providerStatus, 'approved:1');
    const held = await arca.checkStatus!(t.settings, a, ctx);
    assert.ok(held.ok && held.value.status === 'authorized');
    const cap = await arca.capture!(t.settings, { ...a, captureAmount: 150000 }, ctx);
    assert.ok(cap.ok && cap.value.status === 'succeeded' && cap.value.amount === 150000);
    const b = await register('HOLD-2');
    const v = await arca.void!(t.settings, b, ctx);
    assert.ok(v.ok && v.value.status === 'canceled');
    await t.sandbox.idle();
  } finally {
    await t.done();
  }
});

test('switches: held and broken answers, forced errors, other money stated, dropped callbacks', async () => {
  const t = await setup();
  try {
    const { payment } = await t.start('SW-1');
    t.sandbox.setSwitches('SW-1', { timeoutMs: 1500 });
    const slow = await arca.checkStatus!(t.settings, payment, ctx);
    assert.ok(!slow.ok && slow.error.code === 'provider_unreachable');
    t.sandbox.setSwitches('SW-1', { apiHttpStatus: 502 });
    const broken = await arca.checkStatus!(t.settings, payment, ctx);
    assert.ok(!broken.ok && broken.error.code === 'provider_answer_invalid');
    t.sandbox.setSwitches('SW-1', { statusError: '7', reverseError: '7' });
    assert.ok(!(await arca.checkStatus!(t.settings, payment, ctx)).ok);
    t.sandbox.setSwitches('SW-1', { reportAmount: 149900, reportCurrency: 'USD', drop: true });
    await t.sandbox.pay(payment.providerPaymentId);
    await t.sandbox.idle();
    assert.equal(t.receiver.calls.length, 0);
    const st = await arca.checkStatus!(t.settings, payment, ctx);
    assert.ok(st.ok && st.value.amount === 149900 && st.value.currency === 'USD');
    t.sandbox.setSwitches('*', { registerError: '5' });
    const refused = await arca.startPayment(
      {
        settings: t.settings,
        providerRef: 'SW-2',
        orderReference: 'SW-2',
        description: '',
        amount: 1,
        currency: 'AMD',
        callbackUrl: '',
        returnUrl: 'http://127.0.0.1:9/r',
      },
      ctx,
    );
    assert.ok(!refused.ok && refused.error.details?.errorCode === '5');
    const ctl = await fetch(`${t.url}/_sandbox/switches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'SW-3', reportAmount: -1 }),
    });
    assert.equal(ctl.status, 400);
  } finally {
    await t.done();
  }
});

test('an RSA merchant signs with SHA-512; a forged checksum is refused by the receiver', async () => {
  const t = await setup({ rsa: true });
  try {
    const { payment } = await t.start('RSA-1');
    await t.sandbox.pay(payment.providerPaymentId);
    const q = new URLSearchParams(t.receiver.calls[0]!.rawQuery);
    assert.equal(q.get('checksum')?.length, 512);
    assert.equal(q.get('sign_alias'), 'sandbox-rsa-1');
    assert.equal(t.receiver.notices.length, 1);
    assert.equal(
      await t.sandbox.sendCallback(payment.providerPaymentId, 'deposited', '1', { checksum: 'AB'.repeat(256) }),
      403,
    );
    const keys = await fetch(`${t.url}/_sandbox/merchants/${USER}/keys`);
    assert.match(((await keys.json()) as { certificatePem: string }).certificatePem, /BEGIN CERTIFICATE/);
  } finally {
    await t.done();
  }
});

test('the page and its forms keep working under a mount prefix', async () => {
  const receiver = await startReceiver();
  const sandbox = new ArcaSandbox({ merchants: [{ username: USER, password: PASS, callbackUrl: receiver.url }] });
  const app = Fastify();
  await app.register(sandbox.plugin, { prefix: '/sandbox/arca' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sandbox/arca`;
    const s = arca.parseSettings({ username: USER, password: PASS, api_base_url: `${base}/payment/rest` });
    assert.ok(s.ok);
    receiver.verifyWith(s.value);
    const r = await arca.startPayment(
      {
        settings: s.value,
        providerRef: 'P-1',
        orderReference: 'P-1',
        description: 'x',
        amount: 500,
        currency: 'AMD',
        callbackUrl: '',
        returnUrl: 'http://127.0.0.1:9/r?x=1',
      },
      ctx,
    );
    assert.ok(r.ok);
    assert.ok(r.value.next.url.startsWith(`${base}/payment/merchants/`));
    const res = await press(r.value.next.url, 'pay');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^http:\/\/127\.0\.0\.1:9\/r\?x=1&orderId=/);
    assert.deepEqual(
      receiver.notices.map((n) => n.kind === 'trigger' && n.verified),
      [false],
    );
  } finally {
    await app.close();
    await receiver.close();
  }
});
