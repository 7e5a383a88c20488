import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { ConnectorContext, RawRequest } from '../../ports/connector.js';
import type { ProviderEvent } from '../../domain/provider-event.js';
import { createHttpClient } from '../../adapters/http-client.js';
import { acquiringV1 } from './connector.js';
import { AcquiringV1Sandbox, startAcquiringV1Sandbox, type SandboxOptions } from './sandbox.js';
import type { AcquiringV1Settings } from './settings.js';

const KEY = 'sandbox-key-9';
const SHOP = 'shop-1';
const RETURN = 'http://127.0.0.1:9/return/[OrderID]';

/** A webhook receiver that verifies with the connector, like Settle: 200 when valid, 400 when not. */
async function startReceiver(statuses: number[] = []) {
  const calls: RawRequest[] = [];
  const events: ProviderEvent[] = [];
  let s: AcquiringV1Settings | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, rawQuery = ''] = (req.url ?? '').split(/\?(.*)/s);
      const raw: RawRequest = { method: req.method ?? '', headers: req.headers, rawQuery, body: Buffer.concat(chunks) };
      calls.push(raw);
      const forced = statuses.shift();
      let code = forced ?? 200;
      if (forced === undefined && s) {
        const r = acquiringV1.parseCallback(s, raw);
        if (r.ok && r.value.kind === 'payment') events.push(r.value.event);
        code = r.ok ? 200 : 400;
      }
      res.writeHead(code, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    url,
    calls,
    events,
    verifyWith(settings: AcquiringV1Settings) {
      s = settings;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function settingsFor(base: string, over: Record<string, unknown> = {}): AcquiringV1Settings {
  const r = acquiringV1.parseSettings({
    shop_id: SHOP,
    private_key: KEY,
    payment_page_url: `${base}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
    api_base_url: base,
    ...over,
  });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

/** A sandbox with one shop whose webhooks go to a verifying receiver; everything closed by `done`. */
async function setup(opts: SandboxOptions & { receiverStatuses?: number[]; returnUrl?: string | null } = {}) {
  const receiver = await startReceiver(opts.receiverStatuses);
  const returnUrl = opts.returnUrl === null ? undefined : (opts.returnUrl ?? RETURN);
  const running = await startAcquiringV1Sandbox({
    retryBaseDelayMs: 20,
    ...opts,
    shops: [{ shopId: SHOP, privateKey: KEY, callbackUrl: receiver.url, returnUrl }],
  });
  const settings = settingsFor(running.url);
  receiver.verifyWith(settings);
  return {
    receiver,
    settings,
    url: running.url,
    sandbox: running.sandbox,
    async pageUrl(orderId: string, amount = 150000, currency = 'AMD', s = settings) {
      const r = await acquiringV1.startPayment(
        {
          settings: s,
          providerRef: orderId,
          amount,
          currency,
          callbackUrl: '',
          returnUrl: '',
          orderReference: 'ref',
          description: 'Order',
        },
        ctx,
      );
      assert.ok(r.ok);
      return r.value.next.url;
    },
    async done() {
      await running.close();
      await receiver.close();
    },
  };
}

const ctx: ConnectorContext = { http: createHttpClient({ defaultTimeoutMs: 2000 }) };

async function openPage(url: string) {
  const res = await fetch(url);
  return { status: res.status, html: await res.text() };
}

/** Submits one of the payment page's forms, as a browser would. */
async function submit(pageUrl: string, html: string, testid: 'pay-button' | 'decline-button') {
  const form = new RegExp(`<form method="post" action="([^"]+)"><button type="submit" data-testid="${testid}"`).exec(
    html,
  );
  assert.ok(form?.[1], `no form for ${testid}`);
  const action = new URL(form[1], pageUrl);
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
}

test('the payment page shows the order and checks the link signature', async () => {
  const t = await setup();
  try {
    const url = await t.pageUrl('FD-1240');
    const page = await openPage(url);
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="order-id">FD-1240</);
    assert.match(page.html, /data-testid="amount">1500\.00 AMD</);
    assert.match(page.html, /data-testid="pay-button"/);
    assert.match(page.html, /data-testid="decline-button"/);
    assert.deepEqual(t.sandbox.getOrder(SHOP, 'fd-1240'), {
      shopId: SHOP,
      orderId: 'FD-1240',
      amount: '1500.00',
      status: 'opened',
    });

    const tampered = url.replace('/1500.00/', '/1.00/');
    assert.equal((await openPage(tampered)).status, 400);
    const forged = url.slice(0, -32) + 'f'.repeat(32);
    assert.equal((await openPage(forged)).status, 400);
    const otherShop = await t.pageUrl('fd-1', 100, 'USD', settingsFor(t.url, { shop_id: 'nope' }));
    const unknown = await openPage(otherShop);
    assert.equal(unknown.status, 400);
    assert.match(unknown.html, /not known/);
    assert.equal(t.sandbox.getOrder(SHOP, 'fd-1'), undefined);
  } finally {
    await t.done();
  }
});

test('the payment page escapes what it shows', async () => {
  const t = await setup();
  try {
    const shopId = 'a<b>"&\'';
    t.sandbox.addShop({ shopId, privateKey: KEY, callbackUrl: t.receiver.url });
    const page = await openPage(await t.pageUrl('fd-1', 100, 'USD', settingsFor(t.url, { shop_id: shopId })));
    assert.equal(page.status, 200);
    assert.equal(page.html.includes(shopId), false);
    assert.match(page.html, /data-testid="shop-id">a&#60;b&#62;&#34;&#38;&#39;</);
  } finally {
    await t.done();
  }
});

test('Pay sends a signed webhook the connector accepts, then redirects the browser to the return URL', async () => {
  const t = await setup();
  try {
    const url = await t.pageUrl('FD-1240');
    const page = await openPage(url);
    const res = await submit(url, page.html, 'pay-button');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), 'http://127.0.0.1:9/return/FD-1240');
    // The redirect waited for the first webhook try.
    assert.equal(t.receiver.calls.length, 1);
    const call = t.receiver.calls[0]!;
    assert.equal(call.headers['content-type'], 'application/json');
    const body = JSON.parse(call.body.toString('utf8'));
    assert.deepEqual(Object.keys(body).sort(), ['hash', 'order_id', 'status']);
    assert.equal(body.order_id, 'FD-1240'); // as the shop sent it
    const event = acquiringV1.parseCallback(t.settings, call);
    assert.deepEqual(event, {
      ok: true,
      value: {
        kind: 'payment',
        event: { providerRef: 'FD-1240', status: 'succeeded', providerStatus: 'executed', errorCode: null },
      },
    });
    assert.equal(t.sandbox.getOrder(SHOP, 'fd-1240')?.status, 'executed');
    assert.deepEqual(
      t.sandbox.deliveries.map((d) => [d.orderId, d.status, d.httpStatus, d.acknowledged, d.attempt]),
      [['FD-1240', 'executed', 200, true, 1]],
    );
    // Paid orders cannot be paid again.
    const again = await openPage(url);
    assert.equal(again.status, 409);
    assert.match(again.html, /already paid/);
    assert.equal((await submit(url, page.html, 'pay-button')).status, 409);
  } finally {
    await t.done();
  }
});

test('Decline sends error#NNNN (configurable) and shows a done page without a return URL', async () => {
  const t = await setup({ returnUrl: null });
  try {
    const url = await t.pageUrl('fd-7');
    const page = await openPage(url);
    const res = await submit(url, page.html, 'decline-button');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /declined \(error#5001\)/);
    assert.deepEqual(t.receiver.events, [
      { providerRef: 'fd-7', status: 'failed', providerStatus: 'error#5001', errorCode: '5001' },
    ]);

    // The same OrderID may be opened again after a decline; the code is a switch.
    t.sandbox.setSwitches('FD-7', { declineCode: '4242' });
    const page2 = await openPage(url);
    assert.equal(page2.status, 200);
    assert.equal(t.sandbox.getOrder(SHOP, 'fd-7')?.status, 'opened');
    await submit(url, page2.html, 'decline-button');
    assert.equal(t.receiver.events[1]?.errorCode, '4242');
  } finally {
    await t.done();
  }
});

test('the forms keep working under a mount prefix', async () => {
  const receiver = await startReceiver();
  const sandbox = new AcquiringV1Sandbox({
    shops: [{ shopId: SHOP, privateKey: KEY, callbackUrl: receiver.url, returnUrl: RETURN, currency: 'JPY' }],
  });
  const app = Fastify();
  await app.register(sandbox.plugin, { prefix: '/sandbox/acquiring-v1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sandbox/acquiring-v1`;
    const s = settingsFor(base);
    receiver.verifyWith(s);
    const r = await acquiringV1.startPayment(
      {
        settings: s,
        providerRef: 'fd-9',
        amount: 1500,
        currency: 'JPY',
        callbackUrl: '',
        returnUrl: '',
        orderReference: 'ref',
        description: 'Order',
      },
      ctx,
    );
    assert.ok(r.ok);
    const page = await openPage(r.value.next.url);
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="amount">1500 JPY</);
    const res = await submit(r.value.next.url, page.html, 'pay-button');
    assert.equal(res.status, 303);
    assert.equal(receiver.events[0]?.status, 'succeeded');
    const check = await acquiringV1.checkStatus!(s, { providerRef: 'fd-9', amount: 1500, currency: 'JPY' }, ctx);
    assert.ok(check.ok && check.value.status === 'succeeded');
  } finally {
    await app.close();
    await receiver.close();
  }
});

test('webhooks are retried with back-off on 500 until acknowledged', async () => {
  const t = await setup({ receiverStatuses: [500, 503] });
  try {
    t.sandbox.openOrder(SHOP, 'fd-2', '10.00');
    await t.sandbox.pay(SHOP, 'fd-2');
    await t.sandbox.idle();
    const log = t.sandbox.deliveries;
    assert.deepEqual(
      log.map((d) => [d.httpStatus, d.acknowledged, d.attempt]),
      [
        [500, false, 1],
        [503, false, 2],
        [200, true, 3],
      ],
    );
    const gaps = [Date.parse(log[1]!.at) - Date.parse(log[0]!.at), Date.parse(log[2]!.at) - Date.parse(log[1]!.at)];
    assert.ok(gaps[0]! >= 15 && gaps[1]! >= 35, `back-off doubles: ${gaps.join(', ')}`);
    assert.equal(t.receiver.calls.length, 3);
    assert.equal(new Set(t.receiver.calls.map((c) => c.body.toString())).size, 1);
    assert.equal(t.receiver.events.length, 1);
  } finally {
    await t.done();
  }
});

test('network errors are logged as null and retried at most retryAttempts times', async () => {
  const sandbox = new AcquiringV1Sandbox({ retryAttempts: 3, retryBaseDelayMs: 5 });
  try {
    sandbox.addShop({ shopId: SHOP, privateKey: KEY, callbackUrl: `${await closedPortUrl()}/cb` });
    sandbox.openOrder(SHOP, 'fd-3', '1.00');
    await sandbox.pay(SHOP, 'fd-3');
    await sandbox.idle();
    assert.deepEqual(
      sandbox.deliveries.map((d) => [d.httpStatus, d.acknowledged]),
      [
        [null, false],
        [null, false],
        [null, false],
      ],
    );
  } finally {
    sandbox.close();
  }
});

test('the browser redirect does not wait for retries, and close cancels them', async () => {
  const t = await setup({ receiverStatuses: [500, 500, 500], retryBaseDelayMs: 5000 });
  try {
    const url = await t.pageUrl('fd-4');
    const page = await openPage(url);
    const started = Date.now();
    const res = await submit(url, page.html, 'pay-button');
    assert.equal(res.status, 303);
    assert.ok(Date.now() - started < 2000);
    assert.equal(t.sandbox.deliveries.length, 1);
    const idle = t.sandbox.idle();
    t.sandbox.close();
    await idle; // resolves at once: the pending retry is cancelled
    assert.equal(t.sandbox.deliveries.length, 1);
  } finally {
    await t.done();
  }
});

test('switches: duplicate sends each callback twice, staleAfter adds an older status after the real one', async () => {
  const t = await setup();
  try {
    t.sandbox.openOrder(SHOP, 'fd-5', '1.00');
    t.sandbox.setSwitches('fd-5', { duplicate: true });
    await t.sandbox.pay(SHOP, 'fd-5');
    await t.sandbox.idle();
    assert.deepEqual(
      t.receiver.events.map((e) => e.providerStatus),
      ['executed', 'executed'],
    );

    t.sandbox.openOrder(SHOP, 'fd-6', '1.00');
    t.sandbox.setSwitches('*', { staleAfter: true });
    await t.sandbox.pay(SHOP, 'FD-6');
    await t.sandbox.idle();
    assert.deepEqual(
      t.receiver.events.slice(2).map((e) => [e.providerRef, e.status]),
      [
        ['fd-6', 'succeeded'],
        ['fd-6', 'pending'],
      ],
    );
  } finally {
    await t.done();
  }
});

test('switches over HTTP: drop sends nothing but checkorder tells the truth; delayMs lets the browser return first', async () => {
  const t = await setup();
  try {
    const set = (body: unknown) =>
      fetch(`${t.url}/_sandbox/switches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await set({ orderId: 'fd-8', drop: true })).status, 200);
    assert.equal((await set({ orderId: 'fd-8', bogus: 1 })).status, 400);
    assert.equal((await set({ orderId: 'fd-8', delayMs: -1 })).status, 400);

    t.sandbox.openOrder(SHOP, 'fd-8', '1.00');
    await t.sandbox.pay(SHOP, 'fd-8');
    await t.sandbox.idle();
    assert.equal(t.receiver.calls.length, 0);
    assert.equal(t.sandbox.deliveries.length, 0);
    const check = await acquiringV1.checkStatus!(
      t.settings,
      { providerRef: 'fd-8', amount: 100, currency: 'USD' },
      ctx,
    );
    assert.ok(check.ok && check.value.status === 'succeeded' && check.value.providerStatus === 'executed');

    assert.equal((await set({ orderId: 'fd-10', delayMs: 300 })).status, 200);
    const url = await t.pageUrl('fd-10');
    const page = await openPage(url);
    const res = await submit(url, page.html, 'pay-button');
    assert.equal(res.status, 303);
    assert.equal(t.receiver.calls.length, 0, 'the browser is back before the callback');
    await t.sandbox.idle();
    assert.equal(t.receiver.events[0]?.status, 'succeeded');
  } finally {
    await t.done();
  }
});

test('control: shops can be added over HTTP; setStatus and forged callbacks reach the receiver', async () => {
  const t = await setup();
  try {
    const add = (body: unknown) =>
      fetch(`${t.url}/_sandbox/shops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await add({ shopId: 'shop-2', privateKey: 'k2', callbackUrl: t.receiver.url })).status, 201);
    assert.equal((await add({ shopId: 'shop 2', privateKey: 'k2', callbackUrl: t.receiver.url })).status, 400);
    assert.equal((await add({ shopId: 'shop-3', privateKey: 'k3', callbackUrl: 'ftp://x' })).status, 400);
    const s2 = settingsFor(t.url, { shop_id: 'SHOP-2', private_key: 'k2' });
    assert.equal((await openPage(await t.pageUrl('fd-11', 100, 'USD', s2))).status, 200);

    t.sandbox.openOrder(SHOP, 'fd-12', '1.00');
    await t.sandbox.setStatus(SHOP, 'fd-12', 'canceled', { notify: true });
    assert.equal(t.receiver.events[0]?.status, 'canceled');
    await t.sandbox.setStatus(SHOP, 'fd-12', 'executed', { notify: false });
    assert.equal(t.receiver.calls.length, 1);

    assert.equal(await t.sandbox.sendCallback(SHOP, 'fd-12', 'executed', { hash: 'f'.repeat(32) }), 400);
    assert.equal(await t.sandbox.sendCallback(SHOP, 'FD-12', 'executed'), 200);
    assert.equal(t.receiver.events.length, 2);
    assert.equal(t.receiver.events[1]?.providerRef, 'fd-12', 'callbacks carry the OrderID as the shop sent it');
    const list = (await (await fetch(`${t.url}/_sandbox/deliveries`)).json()) as unknown[];
    assert.equal(list.length, 3);
  } finally {
    await t.done();
  }
});

test('checkorder and cancelorder through the connector', async () => {
  const t = await setup();
  try {
    const order = { amount: 150000, currency: 'AMD' };
    const check = (ref: string) => acquiringV1.checkStatus!(t.settings, { providerRef: ref, ...order }, ctx);
    const cancel = (ref: string, amount = order.amount) =>
      acquiringV1.cancel!(t.settings, { providerRef: ref, amount, currency: 'AMD' }, ctx);

    const unknown = await check('fd-404');
    assert.ok(unknown.ok && unknown.value.providerStatus === 'error#1004' && unknown.value.errorCode === '1004');

    await openPage(await t.pageUrl('FD-20'));
    const opened = await check('fd-20');
    assert.ok(opened.ok && opened.value.status === 'pending');

    const wrongAmount = await cancel('FD-20', 1);
    assert.ok(
      !wrongAmount.ok && wrongAmount.error.code === 'provider_error' && wrongAmount.error.details?.errorCode === '1002',
    );
    const canceled = await cancel('FD-20');
    assert.deepEqual(canceled, {
      ok: true,
      value: { providerRef: 'FD-20', status: 'canceled', providerStatus: 'canceled', errorCode: null },
    });
    const after = await check('fd-20');
    assert.ok(after.ok && after.value.status === 'canceled');
    assert.equal((await openPage(await t.pageUrl('FD-20'))).status, 409);

    await openPage(await t.pageUrl('fd-21'));
    await t.sandbox.pay(SHOP, 'fd-21');
    const paid = await check('fd-21');
    assert.ok(paid.ok && paid.value.status === 'succeeded');
    const refused = await cancel('fd-21');
    assert.ok(!refused.ok && refused.error.code === 'provider_error' && refused.error.details?.errorCode === '1003');
    assert.equal(t.sandbox.getOrder(SHOP, 'fd-21')?.status, 'executed');
  } finally {
    await t.done();
  }
});

test('error, HTTP and timeout switches reach the connector as failures', async () => {
  const t = await setup();
  try {
    const input = { providerRef: 'fd-30', amount: 150000, currency: 'AMD' };
    await openPage(await t.pageUrl('fd-30'));

    t.sandbox.setSwitches('fd-30', { checkError: 'error#1234', cancelError: 'error#4321' });
    const checked = await acquiringV1.checkStatus!(t.settings, input, ctx);
    assert.ok(checked.ok && checked.value.status === 'failed' && checked.value.errorCode === '1234');
    const cancel = await acquiringV1.cancel!(t.settings, input, ctx);
    assert.ok(!cancel.ok && cancel.error.code === 'provider_error' && cancel.error.details?.errorCode === '4321');
    assert.equal(t.sandbox.getOrder(SHOP, 'fd-30')?.status, 'opened');

    t.sandbox.setSwitches('fd-30', { apiHttpStatus: 500 });
    for (const call of [acquiringV1.checkStatus!, acquiringV1.cancel!]) {
      const r = await call(t.settings, input, ctx);
      assert.ok(!r.ok && r.error.code === 'provider_answer_invalid' && /HTTP 500/.test(r.error.message));
    }

    t.sandbox.setSwitches('fd-30', { timeoutMs: 2000 });
    const impatient: ConnectorContext = { http: createHttpClient({ defaultTimeoutMs: 150 }) };
    const started = Date.now();
    for (const call of [acquiringV1.checkStatus!, acquiringV1.cancel!]) {
      const r = await call(t.settings, input, impatient);
      assert.ok(!r.ok && r.error.code === 'provider_unreachable' && r.error.details?.reason === 'timeout');
    }
    assert.ok(Date.now() - started < 1500);
  } finally {
    await t.done();
  }
});

test('an acquirer that is not listening is provider_unreachable (network)', async () => {
  const s = settingsFor(await closedPortUrl());
  const r = await acquiringV1.checkStatus!(s, { providerRef: 'fd-1', amount: 100, currency: 'USD' }, ctx);
  assert.ok(!r.ok && r.error.code === 'provider_unreachable' && r.error.details?.reason === 'network');
});

/** A receiver that always answers `code`, counting the requests it got. */
async function startFixed(code: number) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls += 1;
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('several callback URLs: each try, first or retry, goes to one picked at random, and the log says which', async () => {
  const good = await startFixed(200);
  const bad = await startFixed(500);
  // Many tries, tiny back-off: a retry must find the good URL long before the tries run out.
  const sandbox = new AcquiringV1Sandbox({ retryAttempts: 40, retryBaseDelayMs: 1 });
  try {
    sandbox.addShop({ shopId: SHOP, privateKey: KEY, callbackUrl: [good.url, bad.url] });
    for (let i = 0; i < 40; i++) await sandbox.sendCallback(SHOP, `fd-${i}`, 'opened');
    const sent = sandbox.deliveries;
    assert.deepEqual(new Set(sent.map((d) => d.url)), new Set([good.url, bad.url]), 'both URLs were picked');
    for (const d of sent)
      assert.deepEqual([d.httpStatus, d.acknowledged], d.url === good.url ? [200, true] : [500, false]);

    for (let i = 0; i < 10; i++) sandbox.openOrder(SHOP, `fd-p${i}`, '1.00');
    await Promise.all(Array.from({ length: 10 }, (_, i) => sandbox.pay(SHOP, `fd-p${i}`)));
    await sandbox.idle();
    const paid = sandbox.deliveries.slice(sent.length);
    for (let i = 0; i < 10; i++) {
      const tries = paid.filter((d) => d.orderId === `fd-p${i}`);
      // Retried at random URLs until the good one acknowledged it, then no more.
      assert.deepEqual(
        tries.map((d) => d.attempt),
        tries.map((_, n) => n + 1),
      );
      assert.ok(tries.slice(0, -1).every((d) => d.url === bad.url && !d.acknowledged));
      assert.equal(tries.at(-1)?.url, good.url);
      assert.equal(tries.at(-1)?.acknowledged, true);
    }
    assert.equal(good.calls() + bad.calls(), sandbox.deliveries.length);
    assert.equal(good.calls(), sandbox.deliveries.filter((d) => d.url === good.url).length);
  } finally {
    sandbox.close();
    await good.close();
    await bad.close();
  }
});

test('a single callback URL still works and is logged; lists of URLs are validated', async () => {
  const t = await setup();
  try {
    t.sandbox.openOrder(SHOP, 'fd-40', '1.00');
    await t.sandbox.pay(SHOP, 'fd-40');
    assert.deepEqual(
      t.sandbox.deliveries.map((d) => [d.url, d.acknowledged]),
      [[t.receiver.url, true]],
    );
    const add = (callbackUrl: unknown) =>
      fetch(`${t.url}/_sandbox/shops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shopId: 'shop-4', privateKey: 'k4', callbackUrl }),
      });
    assert.equal((await add([t.receiver.url, `${t.receiver.url}?n=2`])).status, 201);
    assert.equal((await add([])).status, 400);
    assert.equal((await add([t.receiver.url, 'ftp://x'])).status, 400);
    assert.equal((await add(Array.from({ length: 17 }, () => t.receiver.url))).status, 400);
    assert.throws(() => t.sandbox.addShop({ shopId: 'shop-5', privateKey: 'k5', callbackUrl: [] }), /callbackUrl/);
  } finally {
    await t.done();
  }
});
