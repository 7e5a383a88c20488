import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { ProviderNotice } from '../../domain/provider-notice.js';
import type { RawRequest } from '../../ports/connector.js';
import { idram } from './connector.js';
import { startIdramSandbox, type SandboxOptions } from './sandbox.js';
import type { IdramSettings } from './settings.js';

const KEY = 'sandbox-secret-7';
const REC = '100000114';

/** Settle's side, in small: the connector reads each request; a pre-check is answered as told. */
async function startMerchant(opts: { precheck?: { status: number; body: string }; failFirst?: number } = {}) {
  const notices: ProviderNotice[] = [];
  const refused: string[] = [];
  let failFirst = opts.failFirst ?? 0;
  const s = idram.parseSettings({ rec_account: REC, secret_key: KEY });
  assert.ok(s.ok);
  const settings: IdramSettings = s.value;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, rawQuery = ''] = (req.url ?? '').split(/\?(.*)/s);
      const raw: RawRequest = { method: req.method ?? '', headers: req.headers, rawQuery, body: Buffer.concat(chunks) };
      const r = idram.parseCallback(settings, raw);
      if (!r.ok) {
        refused.push(r.error.code);
        res.writeHead(403, { 'content-type': 'text/plain' }).end(r.error.code);
        return;
      }
      notices.push(r.value);
      if (r.value.kind === 'question' && opts.precheck) {
        res.writeHead(opts.precheck.status, { 'content-type': 'text/plain' }).end(opts.precheck.body);
        return;
      }
      if (r.value.kind === 'payment' && failFirst-- > 0) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    merchant: {
      recAccount: REC,
      secretKey: KEY,
      resultUrl: `${base}/result`,
      successUrl: `${base}/ok?lang=en`,
      failUrl: `${base}/fail`,
    },
    notices,
    refused,
    kinds: () => notices.map((n) => n.kind),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function setUp(merchantOpts: Parameters<typeof startMerchant>[0] = {}, sandboxOpts: SandboxOptions = {}) {
  const merchant = await startMerchant(merchantOpts);
  const running = await startIdramSandbox({ merchants: [merchant.merchant], ...sandboxOpts });
  return {
    ...merchant,
    running,
    sandbox: running.sandbox,
    async close() {
      await running.close();
      await merchant.close();
    },
  };
}

const FORM = {
  EDP_LANGUAGE: 'EN',
  EDP_REC_ACCOUNT: REC,
  EDP_DESCRIPTION: 'Order CF-1',
  EDP_AMOUNT: '1900.00',
  EDP_BILL_NO: 'CF-1',
};

const post = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** The customer posts the form, then presses a button; answers where the browser is sent. */
async function press(base: string, button: 'pay' | 'decline', form: Record<string, string> = FORM) {
  const page = await post(`${base}/Payment/GetPayment`, form);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, new RegExp(`action="GetPayment/${button}"`));
  const res = await post(`${base}/Payment/GetPayment/${button}`, {
    EDP_REC_ACCOUNT: form.EDP_REC_ACCOUNT!,
    EDP_BILL_NO: form.EDP_BILL_NO!,
  });
  assert.equal(res.status, 303);
  return new URL(res.headers.get('location')!);
}

const returnRef = (url: URL) =>
  idram.returnReference?.({ method: 'GET', headers: {}, rawQuery: url.search.slice(1), body: Buffer.alloc(0) });

test('pay: the pre-check, then the signed confirmation, then SUCCESS_URL with the bill number', async () => {
  const t = await setUp();
  try {
    const page = await post(`${t.running.url}/Payment/GetPayment`, FORM);
    const html = await page.text();
    assert.match(html, /data-testid="amount">1900\.00 AMD</);
    assert.match(html, /data-testid="bill-no">CF-1</);
    const back = await press(t.running.url, 'pay');
    assert.equal(back.origin + back.pathname, new URL(t.merchant.successUrl).origin + '/ok');
    assert.equal(back.searchParams.get('lang'), 'en');
    assert.equal(returnRef(back), 'CF-1');
    await t.sandbox.idle();
    assert.deepEqual(t.kinds(), ['question', 'payment']);
    const [q, p] = t.notices;
    assert.ok(q?.kind === 'question' && q.amount === 190000 && q.providerRef === 'CF-1' && !q.refusal);
    assert.ok(p?.kind === 'payment');
    const bill = t.sandbox.getBill(REC, 'CF-1');
    assert.deepEqual(p.event, {
      providerRef: 'CF-1',
      status: 'succeeded',
      providerStatus: 'confirmed',
      errorCode: null,
      amount: 190000,
      currency: 'AMD',
      providerPaymentId: bill?.paid?.transId,
    });
    assert.equal(bill?.status, 'paid');
    assert.match(bill?.paid?.transId ?? '', /^\d{14}$/);
    assert.match(bill?.paid?.transDate ?? '', /^\d{2}\/\d{2}\/\d{4}$/);
    assert.deepEqual(
      t.sandbox.prechecks.map((c) => [c.billNo, c.httpStatus, c.answer, c.accepted]),
      [['CF-1', 200, 'OK', true]],
    );
    // A paid bill's form is refused.
    assert.equal((await post(`${t.running.url}/Payment/GetPayment`, FORM)).status, 400);
  } finally {
    await t.close();
  }
});

test('a pre-check answered with anything but exactly "OK" and HTTP 200 stops the payment: FAIL_URL', async () => {
  for (const precheck of [
    { status: 200, body: 'NO' },
    { status: 200, body: 'ok' },
    { status: 200, body: 'OK\n' },
    { status: 500, body: 'OK' },
    { status: 201, body: 'OK' },
  ]) {
    const t = await setUp({ precheck });
    try {
      const back = await press(t.running.url, 'pay');
      assert.equal(back.pathname, '/fail', JSON.stringify(precheck));
      assert.equal(returnRef(back), 'CF-1');
      await t.sandbox.idle();
      assert.deepEqual(t.kinds(), ['question'], JSON.stringify(precheck));
      assert.equal(t.sandbox.getBill(REC, 'CF-1')?.status, 'refused');
      // The customer may try again: the form opens the bill again.
      assert.equal((await post(`${t.running.url}/Payment/GetPayment`, FORM)).status, 200);
    } finally {
      await t.close();
    }
  }
});

test('decline: nothing is sent to the merchant, the browser goes to FAIL_URL', async () => {
  const t = await setUp();
  try {
    const back = await press(t.running.url, 'decline');
    assert.equal(back.pathname, '/fail');
    assert.equal(returnRef(back), 'CF-1');
    await t.sandbox.idle();
    assert.deepEqual(t.kinds(), []);
    assert.equal(t.sandbox.getBill(REC, 'CF-1')?.status, 'declined');
    const again = await post(`${t.running.url}/Payment/GetPayment/pay`, { EDP_REC_ACCOUNT: REC, EDP_BILL_NO: 'CF-1' });
    assert.equal(again.status, 409);
  } finally {
    await t.close();
  }
});

test('switches: duplicate, a stale pre-check after, drop, delay', async () => {
  const t = await setUp();
  try {
    t.sandbox.setSwitches('cf-1', { duplicate: true, staleAfter: true });
    await press(t.running.url, 'pay');
    await t.sandbox.idle();
    assert.deepEqual(t.kinds(), ['question', 'payment', 'payment', 'question']);

    t.sandbox.setSwitches('*', { drop: true });
    await press(t.running.url, 'pay', { ...FORM, EDP_BILL_NO: 'CF-2' });
    await t.sandbox.idle();
    assert.deepEqual(t.kinds().slice(4), ['question']);
    assert.equal(t.sandbox.getBill(REC, 'CF-2')?.status, 'paid');

    t.sandbox.setSwitches('*', { delayMs: 300 });
    const started = Date.now();
    await press(t.running.url, 'pay', { ...FORM, EDP_BILL_NO: 'CF-3' });
    assert.ok(Date.now() - started < 300, 'the browser does not wait for a delayed confirmation');
    assert.deepEqual(t.kinds().slice(5), ['question']);
    await t.sandbox.idle();
    assert.deepEqual(t.kinds().slice(5), ['question', 'payment']);
  } finally {
    await t.close();
  }
});

test('switches: reportAmount in the pre-check and the signed confirmation; skipPrecheck', async () => {
  const t = await setUp();
  try {
    t.sandbox.setSwitches('CF-1', { reportAmount: '1800', skipPrecheck: true });
    await press(t.running.url, 'pay');
    await t.sandbox.idle();
    assert.deepEqual(t.kinds(), ['payment']);
    const p = t.notices[0];
    assert.ok(p?.kind === 'payment' && p.event.amount === 180000);

    t.sandbox.setSwitches('CF-2', { reportAmount: '1800.00' });
    await press(t.running.url, 'pay', { ...FORM, EDP_BILL_NO: 'CF-2' });
    await t.sandbox.idle();
    const q = t.notices[1];
    assert.ok(q?.kind === 'question' && q.amount === 180000);
    assert.throws(() => t.sandbox.setSwitches('*', { reportAmount: '18,00' }));
  } finally {
    await t.close();
  }
});

test('a forged or re-amounted confirmation is refused by the connector; the bill is not changed', async () => {
  const t = await setUp();
  try {
    t.sandbox.openBill(FORM);
    assert.equal(await t.sandbox.sendConfirmation(REC, 'CF-1', { checksum: '0'.repeat(32) }), 403);
    assert.equal(await t.sandbox.sendConfirmation(REC, 'CF-1'), 200);
    assert.deepEqual(t.refused, ['callback_signature_invalid']);
    assert.equal(t.sandbox.getBill(REC, 'CF-1')?.status, 'open');
  } finally {
    await t.close();
  }
});

test('the confirmation is tried once by default (Idram documents no retry); retries when configured', async () => {
  const once = await setUp({ failFirst: 1 });
  try {
    await press(once.running.url, 'pay');
    await once.sandbox.idle();
    assert.deepEqual(
      once.sandbox.deliveries.map((d) => d.httpStatus),
      [503],
    );
  } finally {
    await once.close();
  }
  const retried = await setUp({ failFirst: 1 }, { retryAttempts: 3, retryBaseDelayMs: 20 });
  try {
    await press(retried.running.url, 'pay');
    await retried.sandbox.idle();
    assert.deepEqual(
      retried.sandbox.deliveries.map((d) => d.httpStatus),
      [503, 200],
    );
  } finally {
    await retried.close();
  }
});

test('the form is refused as Idram would: unknown merchant, bad amount or language, no bill', async () => {
  const t = await setUp();
  try {
    for (const bad of [
      { EDP_REC_ACCOUNT: '999' },
      { EDP_AMOUNT: '0' },
      { EDP_AMOUNT: '19,00' },
      { EDP_AMOUNT: '-5' },
      { EDP_LANGUAGE: 'DE' },
      { EDP_BILL_NO: '' },
    ]) {
      const res = await post(`${t.running.url}/Payment/GetPayment`, { ...FORM, ...bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    const unknown = await post(`${t.running.url}/Payment/GetPayment/pay`, { EDP_REC_ACCOUNT: REC, EDP_BILL_NO: 'X' });
    assert.equal(unknown.status, 409);
  } finally {
    await t.close();
  }
});

test('control routes: merchants and switches are checked; logs are readable', async () => {
  const t = await setUp();
  try {
    const json = (path: string, body: unknown) =>
      fetch(`${t.running.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await json('/_sandbox/merchants', { ...t.merchant, recAccount: 'abc' })).status, 400);
    assert.equal((await json('/_sandbox/merchants', { ...t.merchant, failUrl: 'nope' })).status, 400);
    assert.equal((await json('/_sandbox/merchants', { ...t.merchant, recAccount: '200000001' })).status, 201);
    assert.equal((await json('/_sandbox/switches', { orderId: 'CF-1', staleAfter: 'opened' })).status, 400);
    assert.equal((await json('/_sandbox/switches', { orderId: 'CF-1', timeoutMs: 10 })).status, 400);
    assert.equal((await json('/_sandbox/switches', { orderId: 'CF-1', skipPrecheck: true })).status, 200);
    await press(t.running.url, 'pay');
    await t.sandbox.idle();
    const deliveries = (await (await fetch(`${t.running.url}/_sandbox/deliveries`)).json()) as unknown[];
    assert.equal(deliveries.length, 1);
    const prechecks = (await (await fetch(`${t.running.url}/_sandbox/prechecks`)).json()) as unknown[];
    assert.equal(prechecks.length, 0);
  } finally {
    await t.close();
  }
});
