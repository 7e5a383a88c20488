import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { newReference, startHarness, TEST_PRIVATE_KEY, TEST_SHOP_ID, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const assertErrorShape = (body: any, status: number, code: string) => {
  assert.deepEqual(
    Object.keys(body)
      .filter((k) => k !== 'details')
      .sort(),
    ['code', 'error', 'message', 'statusCode'],
  );
  assert.equal(body.statusCode, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
};

async function newOrder(extra: Record<string, unknown> = {}) {
  const r = await h.api('POST', '/v1/orders', { reference: newReference(), currency: 'USD', amount: 2500, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function sendCallback(
  body: unknown,
  opts: { method?: string; contentType?: string | null; query?: string } = {},
) {
  const res = await fetch(`${h.url}/callbacks/${h.paymentMethodId}${opts.query ? `?${opts.query}` : ''}`, {
    method: opts.method ?? 'POST',
    headers:
      opts.contentType === undefined
        ? { 'content-type': 'application/json' }
        : opts.contentType
          ? { 'content-type': opts.contentType }
          : {},
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

test('keys: none or a bad one is 401, a store key on an admin route is 403, all in the one error shape', async () => {
  const none = await h.api('GET', '/v1/orders', undefined, { key: null });
  assertErrorShape(none.body, 401, 'unauthorized');
  const bad = await h.api('GET', '/v1/orders', undefined, { key: 'stl_nope' });
  assertErrorShape(bad.body, 401, 'unauthorized');
  const wrong = await h.api('GET', '/v1/webhook-endpoints');
  assertErrorShape(wrong.body, 403, 'forbidden');
  const admin = await h.api('GET', '/v1/orders', undefined, { key: h.adminKey });
  assert.equal(admin.status, 200);
});

test('bad input is a 400 in the one shape and creates nothing', async () => {
  const reference = newReference();
  const cases: unknown[] = [
    { reference, currency: 'USD', amount: '2500' },
    { reference, currency: 'USD', amount: 25.5 },
    { reference, currency: 'usd', amount: 2500 },
    { reference, currency: 'USD', amount: -1 },
    { reference, currency: 'USD', amount: 2500, surprise: true },
    { reference: '', currency: 'USD', amount: 2500 },
    { currency: 'USD', amount: 2500 },
    { reference, currency: 'USD', lines: [{ sku: 'a', name: 'A', quantity: 0, unit_amount: 1 }] },
    { reference, currency: 'USD', amount: 2500, customer: { email: 'not an email' } },
    { reference, currency: 'USD', amount: 2500, return_url: 'javascript:alert(1)' },
  ];
  for (const body of cases) {
    const r = await h.api('POST', '/v1/orders', body);
    assertErrorShape(r.body, 400, 'invalid_request');
  }
  const json = await h.api('POST', '/v1/orders', '{"reference": ');
  assertErrorShape(json.body, 400, 'invalid_json');
  const unknownCurrency = await h.api('POST', '/v1/orders', { reference, currency: 'XXX', amount: 1 });
  assertErrorShape(unknownCurrency.body, 400, 'currency_unknown');
  const list = await h.api('GET', `/v1/orders?reference=${reference}`);
  assert.equal(list.body.data.length, 0);
  const badLimit = await h.api('GET', '/v1/orders?limit=100000');
  assertErrorShape(badLimit.body, 400, 'invalid_request');
  const badCursor = await h.api('GET', '/v1/orders?cursor=garbage');
  assertErrorShape(badCursor.body, 400, 'cursor_invalid');
  const missing = await h.api('GET', '/v1/orders/ord_missing');
  assertErrorShape(missing.body, 404, 'order_not_found');
  const route = await h.api('GET', '/v1/nothing-here');
  assertErrorShape(route.body, 404, 'not_found');
});

test('amounts: computed from lines, a different given amount is refused with a reason', async () => {
  const lines = [
    { sku: 'A', name: 'A', quantity: 3, unit_amount: 1000 },
    { sku: 'B', name: 'B', quantity: 1, unit_amount: 250 },
  ];
  const ok = await h.api('POST', '/v1/orders', {
    reference: newReference(),
    currency: 'USD',
    lines,
    shipping_amount: 500,
  });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.amount, 3750);
  assert.equal(ok.body.original_amount, 3750);
  const mismatch = await h.api('POST', '/v1/orders', {
    reference: newReference(),
    currency: 'USD',
    lines,
    amount: 3000,
  });
  assertErrorShape(mismatch.body, 422, 'amount_mismatch');
  const none = await h.api('POST', '/v1/orders', { reference: newReference(), currency: 'USD' });
  assertErrorShape(none.body, 422, 'amount_required');
});

test('Idempotency-Key: the same key and body returns the first answer, another body is 409', async () => {
  const key = `idem-${newReference()}`;
  const body = { reference: newReference(), currency: 'USD', amount: 1200 };
  const first = await h.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } });
  const second = await h.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } });
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.deepEqual(second.body, first.body);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  const other = await h.api('POST', '/v1/orders', { ...body, amount: 1300 }, { headers: { 'idempotency-key': key } });
  assertErrorShape(other.body, 409, 'idempotency_key_reused');

  const order = first.body;
  const pkey = `pay-${newReference()}`;
  const payments = await Promise.all(
    Array.from({ length: 10 }, () =>
      h.api(
        'POST',
        `/v1/orders/${order.id}/payments`,
        { payment_method_id: h.paymentMethodId },
        { headers: { 'idempotency-key': pkey } },
      ),
    ),
  );
  assert.deepEqual([...new Set(payments.map((p) => p.status))], [201]);
  assert.equal(new Set(payments.map((p) => p.body.id)).size, 1);
  assert.equal((await h.api('GET', `/v1/orders/${order.id}`)).body.payments.length, 1);
});

test('Idempotency-Key: a first request that never answered (its server died) is not run again; the retry is told its outcome is unknown', async () => {
  const key = `idem-dead-${newReference()}`;
  const body = { reference: newReference(), currency: 'USD', amount: 1500 };
  assert.equal((await h.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } })).status, 201);
  // As a claim looks when its process died mid-request, two minutes ago: no answer stored.
  const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
  await h.store.storage.db
    .updateTable('idempotency_keys')
    .set({ response_status: null, response_body: null, created_at: twoMinutesAgo })
    .where('scope_key', 'like', `%:${key}`)
    .execute();
  const retry = await h.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': key } });
  assertErrorShape(retry.body, 409, 'idempotency_outcome_unknown');
  assert.equal((await h.api('GET', `/v1/orders?reference=${body.reference}`)).body.data.length, 1, 'no second order');
});

test('Idempotency-Key: the janitor drops keys past their retention; a newer key still replays', async () => {
  const old = `idem-old-${newReference()}`;
  const fresh = `idem-new-${newReference()}`;
  const body = { reference: newReference(), currency: 'USD', amount: 1400 };
  assert.equal((await h.api('POST', '/v1/orders', body, { headers: { 'idempotency-key': old } })).status, 201);
  const kept = await h.api(
    'POST',
    '/v1/orders',
    { ...body, reference: newReference() },
    { headers: { 'idempotency-key': fresh } },
  );
  assert.equal(kept.status, 201);
  // Eight days old, past the default retention of seven.
  const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
  await h.store.storage.db
    .updateTable('idempotency_keys')
    .set({ created_at: eightDaysAgo })
    .where('scope_key', 'like', `%:${old}`)
    .execute();

  const report = await runJanitor(h.deps, DEFAULT_JANITOR);
  assert.equal(report?.idempotencyKeysPruned, 1);
  const replay = await h.api(
    'POST',
    '/v1/orders',
    { ...body, reference: kept.body.reference },
    { headers: { 'idempotency-key': fresh } },
  );
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.equal(replay.body.id, kept.body.id);
  // The dropped key is free: another body under it is a new request, not idempotency_key_reused.
  const reused = await h.api(
    'POST',
    '/v1/orders',
    { ...body, reference: newReference() },
    { headers: { 'idempotency-key': old } },
  );
  assert.equal(reused.status, 201, JSON.stringify(reused.body));
  assert.equal(reused.headers.get('idempotent-replayed'), null);
});

test('payment methods: settings validated by the connector, the private key never returned', async () => {
  const base = {
    name: 'X',
    connector: 'acquiring-v1',
    settings: {
      shop_id: 'shop',
      private_key: 'k'.repeat(128),
      payment_page_url: 'https://pay.example/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
      api_base_url: 'https://pay.example',
    },
  };
  const tooLongShop = await h.api(
    'POST',
    '/v1/payment-methods',
    { ...base, settings: { ...base.settings, shop_id: 's'.repeat(33) } },
    { key: h.adminKey },
  );
  assertErrorShape(tooLongShop.body, 400, 'settings_invalid');
  const tooLongKey = await h.api(
    'POST',
    '/v1/payment-methods',
    { ...base, settings: { ...base.settings, private_key: 'k'.repeat(129) } },
    { key: h.adminKey },
  );
  assertErrorShape(tooLongKey.body, 400, 'settings_invalid');
  assert.equal(JSON.stringify(tooLongKey.body).includes('k'.repeat(20)), false);
  const unknown = await h.api('POST', '/v1/payment-methods', { ...base, connector: 'nope' }, { key: h.adminKey });
  assertErrorShape(unknown.body, 400, 'connector_unknown');
  const created = await h.api(
    'POST',
    '/v1/payment-methods',
    { ...base, currencies: ['EUR'], max_amount: 100000 },
    { key: h.adminKey },
  );
  assert.equal(created.status, 201);
  assert.equal(created.body.settings.private_key, '********');
  const list = await h.api('GET', '/v1/payment-methods', undefined, { key: h.adminKey });
  assert.equal(JSON.stringify(list.body).includes(TEST_PRIVATE_KEY), false);
  assert.equal(JSON.stringify(list.body).includes('k'.repeat(20)), false);
  const row = await h.store.storage.read.getPaymentMethod(created.body.id);
  assert.equal(JSON.stringify(row).includes('k'.repeat(20)), false, 'encrypted at rest');

  // A method refuses an order it cannot take, with the reason.
  const order = await newOrder();
  const refused = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: created.body.id });
  assertErrorShape(refused.body, 422, 'payment_method_refused');
  assert.match(refused.body.message, /does not take USD/);
  const big = await h.api('POST', '/v1/orders', { reference: newReference(), currency: 'EUR', amount: 100001 });
  const tooBig = await h.api('POST', `/v1/orders/${big.body.id}/payments`, { payment_method_id: created.body.id });
  assertErrorShape(tooBig.body, 422, 'payment_method_refused');
  const noMethod = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: 'pm_missing' });
  assertErrorShape(noMethod.body, 422, 'payment_method_refused');
  const invalidRef = await h.api('POST', '/v1/orders', { reference: 'Order#7', currency: 'USD', amount: 100 });
  const invalid = await h.api('POST', `/v1/orders/${invalidRef.body.id}/payments`, {
    payment_method_id: h.paymentMethodId,
  });
  assertErrorShape(invalid.body, 422, 'reference_invalid');
});

test('orders are listed newest first by keyset, filtered by status and reference', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await newOrder({ metadata: { batch: 'list' } }));
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await h.api('GET', `/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.ok(page.body.data.length <= 2);
    seen.push(...page.body.data.map((o: { id: string }) => o.id));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length, 'no order twice');
  const idx = made.map((o) => seen.indexOf(o.id));
  assert.ok(idx.every((i) => i >= 0));
  assert.deepEqual(
    [...idx].sort((a, b) => b - a),
    idx,
    'newest first',
  );
  const byRef = await h.api('GET', `/v1/orders?reference=${made[2].reference.toLowerCase()}`);
  assert.deepEqual(
    byRef.body.data.map((o: { id: string }) => o.id),
    [made[2].id],
  );
  const pending = await h.api('GET', '/v1/orders?status=pending_payment&limit=200');
  assert.ok(pending.body.data.every((o: { status: string }) => o.status === 'pending_payment'));
});

test('callbacks: forged or malformed are 4xx and change nothing; stale and undocumented statuses are recorded', async () => {
  const order = await newOrder();
  const payment = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  const ref = payment.body.provider_ref;
  const forged = await sendCallback({ order_id: ref, status: 'executed', hash: md5(`wrong-key;${ref};executed`) });
  assertErrorShape(forged.body, 403, 'callback_signature_invalid');
  const malformed = await sendCallback('{"order_id": 1');
  assertErrorShape(malformed.body, 400, 'callback_malformed');
  const empty = await sendCallback(undefined, { contentType: null });
  assert.equal(empty.status, 400);
  const unknownOrder = await sendCallback({
    order_id: 'nobody-1',
    status: 'executed',
    hash: md5(`${TEST_PRIVATE_KEY};nobody-1;executed`),
  });
  assertErrorShape(unknownOrder.body, 404, 'callback_order_unknown');
  const wrongMethod = await fetch(`${h.url}/callbacks/pm_missing`, { method: 'POST', body: '{}' });
  assert.equal(wrongMethod.status, 404);
  let now = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(now.body.payments[0].status, 'created');
  assert.equal(now.body.payment_status, 'pending');

  // Upper-case hex and a GET with the fields in the query are accepted too.
  const opened = await sendCallback(undefined, {
    method: 'GET',
    contentType: null,
    query: `order_id=${ref}&status=opened&hash=${md5(`${TEST_PRIVATE_KEY};${ref};opened`).toUpperCase()}`,
  });
  assert.equal(opened.status, 200);
  assert.deepEqual(opened.body, { status: 'ok' });
  const paid = await sendCallback({
    order_id: ref,
    status: 'executed',
    hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`),
  });
  assert.equal(paid.status, 200);
  const stale = await sendCallback({ order_id: ref, status: 'opened', hash: md5(`${TEST_PRIVATE_KEY};${ref};opened`) });
  assert.equal(stale.status, 200);
  const odd = await sendCallback({
    order_id: ref,
    status: 'refunded',
    hash: md5(`${TEST_PRIVATE_KEY};${ref};refunded`),
  });
  assert.equal(odd.status, 200);
  now = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(now.body.payments[0].status, 'succeeded');
  assert.equal(now.body.payments[0].provider_status, 'executed');

  const log = (await h.store.storage.read.listCallbacks({ paymentMethodId: h.paymentMethodId, limit: 100 })).reverse();
  const outcomes = log.map((c) => c.outcome);
  assert.deepEqual(outcomes.slice(-8), [
    'rejected',
    'rejected',
    'rejected',
    'rejected',
    'applied',
    'applied',
    'stale',
    'ignored',
  ]);
  assert.match(log.at(-1)!.reason!, /refunded/);
  for (const c of log) {
    assert.equal(JSON.stringify(c).includes(TEST_PRIVATE_KEY), false);
    assert.equal(
      c.body.includes(md5(`${TEST_PRIVATE_KEY};${ref};executed`)),
      false,
      'signatures are redacted in the log',
    );
  }
  const timeline = await h.api('GET', `/v1/orders/${order.id}/timeline`);
  assert.deepEqual(
    timeline.body.data.map((e: { kind: string }) => e.kind),
    [
      'order.created',
      'payment.created',
      'payment.pending',
      'payment.succeeded',
      'review.approved',
      'order.status_changed',
    ],
  );
});

test('canceled attempt then success: the payment is applied and a task is opened', async () => {
  const order = await newOrder();
  const payment = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  const ref = payment.body.provider_ref;
  await sendCallback({ order_id: ref, status: 'canceled', hash: md5(`${TEST_PRIVATE_KEY};${ref};canceled`) });
  assert.equal((await h.api('GET', `/v1/orders/${order.id}`)).body.status, 'payment_failed');
  await sendCallback({ order_id: ref, status: 'executed', hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`) });
  const now = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(now.body.status, 'on_hold');
  assert.equal(now.body.payment_status, 'paid');
  const tasks = await h.store.storage.read.listTasks({ orderId: order.id });
  assert.deepEqual(
    tasks.map((t) => [t.kind, t.status, t.owner]),
    [['paid_after_cancel', 'open', 'support']],
  );
});

test('OpenAPI 3.1 is generated from the routes; /health answers', async () => {
  const doc = await h.api('GET', '/openapi.json', undefined, { key: null });
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, '3.1.0');
  for (const p of [
    '/v1/orders',
    '/v1/orders/{id}',
    '/v1/orders/{id}/payments',
    '/v1/orders/{id}/timeline',
    '/v1/payment-methods',
    '/v1/public/orders/{orderKey}',
    '/health',
  ]) {
    assert.ok(doc.body.paths[p], `${p} is documented`);
  }
  // The provider's callbacks, the customer pages and the admin pages are served beside the API, not in it.
  for (const p of ['/callbacks/{paymentMethodId}', '/return/{paymentId}', '/pay/{token}', '/admin/orders'])
    assert.equal(doc.body.paths[p], undefined, `${p} is not in the API's document`);
  assert.deepEqual(doc.body.servers, [{ url: h.url }]);
  assert.ok(doc.body.paths['/v1/orders'].post.requestBody);
  assert.deepEqual((await h.api('GET', '/health', undefined, { key: null })).body, { status: 'ok' });
});

test('the shop id in the payment URL is the configured one', async () => {
  const order = await newOrder();
  const payment = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  const amount = '25.00';
  assert.equal(
    payment.body.next_step.url,
    `${h.sandbox.url}/p/${TEST_SHOP_ID}/${order.reference}/${amount}/${md5(`${TEST_PRIVATE_KEY};${order.reference};${amount}`)}`,
  );
});
