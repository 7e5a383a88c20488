import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Migrator } from 'kysely';
import pino from 'pino';
import { buildServer } from '../../src/server.js';
import { compose } from '../../src/main.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { startOutboxWorker } from '../../src/worker/outbox-worker.js';
import { paidOrder } from '../support/after-payment.js';
import { waitFor } from '../support/async.js';
import { METRICS_TOKEN, newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';
import { freshStore } from '../support/store.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const metrics = async (auth: string | null = `Bearer ${METRICS_TOKEN}`) => {
  const res = await fetch(`${h.url}/metrics`, { headers: auth ? { authorization: auth } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
/** The value of one sample (name with its labels exactly as printed), or undefined. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('/metrics: callbacks by outcome, status changes, provider latency, outbox and tasks, process metrics', async () => {
  const { orderId, paymentId } = await paidOrder(h);
  // A status check is one provider call: latency observed, labelled by connector and result.
  const check = await h.api('POST', `/v1/orders/${orderId}/payments/${paymentId}/check`, undefined, {
    key: h.adminKey,
  });
  assert.equal(check.status, 200, JSON.stringify(check.body));

  const m = await metrics();
  assert.equal(m.status, 200);
  assert.match(m.type ?? '', /^text\/plain/);
  assert.ok(
    (sample(m.text, 'settle_callbacks_total{connector="acquiring-v1",outcome="applied"}') ?? 0) >= 1,
    'an applied callback is counted',
  );
  assert.ok(
    (sample(m.text, 'settle_status_changes_total{track="payment",to="succeeded"}') ?? 0) >= 1,
    'the payment status change is counted',
  );
  assert.ok(
    (sample(m.text, 'settle_status_changes_total{track="order",to="processing"}') ?? 0) >= 1,
    'the order status change is counted',
  );
  assert.ok(
    (sample(m.text, 'settle_provider_call_duration_seconds_count{connector="acquiring-v1",result="ok"}') ?? 0) >= 1,
    'the status check is timed',
  );
  assert.equal(sample(m.text, 'settle_storage_up'), 1);
  assert.match(m.text, /# HELP settle_outbox_oldest_pending_age_seconds /);
  assert.match(m.text, /# HELP settle_open_tasks /);
  assert.match(m.text, /^process_cpu_user_seconds_total /m, 'the default process metrics are included');

  // A forged callback: counted as rejected and as a verification failure.
  const forged = await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: 'nobody-1', status: 'executed', hash: '0'.repeat(32) }),
  });
  assert.equal(forged.status, 403);
  const m2 = await metrics();
  assert.ok(
    (sample(
      m2.text,
      'settle_callback_verification_failures_total{connector="acquiring-v1",code="callback_signature_invalid"}',
    ) ?? 0) >= 1,
  );
  assert.ok((sample(m2.text, 'settle_callbacks_total{connector="acquiring-v1",outcome="rejected"}') ?? 0) >= 1);
});

test('/metrics: a message resent a month after it was created counts its wait from the resend, not from its creation', async () => {
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const id = `msg_resent_${randomBytes(4).toString('hex')}`;
  await h.deps.storage.transaction((tx) =>
    tx.insertOutbox([
      {
        id,
        topic: 'email',
        eventType: 'mail.customer_paid',
        orderId: null,
        orderSeq: 0,
        target: 'mail:old@example.com',
        payload: {},
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: monthAgo,
        lastError: null,
        createdAt: monthAgo,
        queuedAt: monthAgo,
        deliveredAt: monthAgo,
        requestId: null,
      },
    ]),
  );
  const resent = await h.api('POST', `/v1/outbox/${id}/resend`, undefined, { key: h.adminKey });
  assert.equal(resent.status, 200, JSON.stringify(resent.body));
  assert.equal(resent.body.created_at, monthAgo);
  assert.ok(Date.parse(resent.body.queued_at) > Date.now() - 60_000, 'queued again now');
  try {
    const age = sample((await metrics()).text, 'settle_outbox_oldest_pending_age_seconds{topic="email"}');
    assert.ok(age !== undefined && age < 3600, `the wait since the resend, not a month (got ${age})`);
    const listed = await h.api('GET', `/v1/outbox?status=pending&topic=email`, undefined, { key: h.adminKey });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.data.find((m: { id: string }) => m.id === id)?.queued_at, resent.body.queued_at);
  } finally {
    // Out of the queue again, so no later test tries to mail it.
    await h.deps.storage.transaction((tx) =>
      tx.updateOutbox(id, { status: 'delivered', deliveredAt: new Date().toISOString() }),
    );
  }
});

test('/metrics: a provider that cannot be reached is timed as unreachable', async () => {
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Closed acquirer',
      connector: 'acquiring-v1',
      settings: {
        shop_id: 'closed',
        private_key: TEST_PRIVATE_KEY,
        payment_page_url: 'http://127.0.0.1:9/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
        api_base_url: 'http://127.0.0.1:9',
      },
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('UN'),
    currency: 'AMD',
    amount: 1000,
    customer: { email: 'u@example.com' },
  });
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pm.body.id });
  assert.equal(payment.status, 201);
  const check = await h.api('POST', `/v1/orders/${order.body.id}/payments/${payment.body.id}/check`, undefined, {
    key: h.adminKey,
  });
  assert.equal(check.status, 503);
  const m = await metrics();
  assert.ok(
    (sample(m.text, 'settle_provider_call_duration_seconds_count{connector="acquiring-v1",result="unreachable"}') ??
      0) >= 1,
  );
});

test('/metrics is refused without METRICS_TOKEN or an admin key', async () => {
  assert.equal((await metrics(null)).status, 401);
  assert.equal((await metrics('Bearer not-the-token')).status, 401);
  const byStore = await metrics(`Bearer ${h.storeKey}`);
  assert.equal(byStore.status, 403);
  assert.equal(JSON.parse(byStore.text).code, 'forbidden');
  assert.equal((await metrics(`Bearer ${h.adminKey}`)).status, 200);
});

test('/health is liveness; /ready is 200 with a reachable, migrated database', async () => {
  assert.deepEqual(await (await fetch(`${h.url}/health`)).json(), { status: 'ok' });
  const ready = await fetch(`${h.url}/ready`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready' });
});

test('/ready is 503 not_ready while a migration is missing, and when the database is closed', async () => {
  const store = await freshStore();
  try {
    const { deps } = compose(
      { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:0' },
      { storage: store.storage },
    );
    const app = await buildServer(deps, { logger: false });
    // A server started before `settle migrate` has run (the last migration undone here).
    const migrator = new Migrator({ db: store.storage.db, provider: migrationProvider });
    const { error } = await migrator.migrateDown();
    assert.equal(error, undefined);
    const missing = await app.inject({ url: '/ready' });
    assert.equal(missing.statusCode, 503);
    assert.deepEqual(
      { code: missing.json().code, statusCode: missing.json().statusCode, details: missing.json().details },
      { code: 'not_ready', statusCode: 503, details: { database: true, migrations: false } },
    );
    assert.equal((await app.inject({ url: '/health' })).statusCode, 200, 'liveness does not depend on the database');

    await store.storage.migrate();
    assert.equal((await app.inject({ url: '/ready' })).statusCode, 200);

    await store.storage.close();
    const down = await app.inject({ url: '/ready' });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().code, 'not_ready');
    assert.equal(down.json().details.database, false);
    await app.close();
  } finally {
    await store.drop();
  }
});

/** Sends the acquirer's signed callback for `providerRef` ourselves, to see the answer's headers. */
async function signedCallback(providerRef: string, headers: Record<string, string> = {}) {
  const hash = createHash('md5').update(`${TEST_PRIVATE_KEY};${providerRef};executed`).digest('hex');
  return fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ order_id: providerRef, status: 'executed', hash }),
  });
}

async function orderAwaitingPayment() {
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('RQ'),
    currency: 'AMD',
    amount: 5000,
    customer: { email: 'r@example.com' },
  });
  assert.equal(order.status, 201);
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201);
  return { orderId: order.body.id as string, providerRef: payment.body.provider_ref as string };
}

test("request id: the outbox messages a callback produced carry its request id, as do its log lines and the worker's", async () => {
  const ep = await h.api(
    'POST',
    '/v1/webhook-endpoints',
    { url: 'http://127.0.0.1:9/never', events: ['*'] },
    { key: h.adminKey },
  );
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  try {
    const { orderId, providerRef } = await orderAwaitingPayment();
    const cb = await signedCallback(providerRef);
    assert.equal(cb.status, 200);
    const requestId = cb.headers.get('x-request-id');
    assert.match(requestId ?? '', /^req_/);

    const outbox = await h.api('GET', `/v1/outbox?order_id=${orderId}`, undefined, { key: h.adminKey });
    assert.equal(outbox.status, 200);
    const fromCallback = outbox.body.data.filter((m: { event_type: string }) => m.event_type === 'payment.succeeded');
    assert.equal(fromCallback.length, 1);
    assert.equal(fromCallback[0].request_id, requestId);
    // The order's creation came from another request: its messages carry that one's id.
    const created = outbox.body.data.find((m: { event_type: string }) => m.event_type === 'order.created');
    if (created) assert.notEqual(created.request_id, requestId);
    // An API call of the store stamps its own id (a well-formed X-Request-Id is kept as it).
    const other = await h.api(
      'POST',
      '/v1/orders',
      { reference: `RQ-${Date.now()}`, currency: 'AMD', amount: 1000 },
      { headers: { 'x-request-id': 'shop-create-0001' } },
    );
    assert.equal(other.status, 201);
    const otherOutbox = await h.api('GET', `/v1/outbox?order_id=${other.body.id}`, undefined, { key: h.adminKey });
    const otherCreated = otherOutbox.body.data.filter((m: { event_type: string }) => m.event_type === 'order.created');
    assert.deepEqual(
      otherCreated.map((m: { request_id: string }) => m.request_id),
      ['shop-create-0001'],
    );

    const lines = readFileSync(h.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes(`"reqId":"${requestId}"`));
    assert.ok(
      lines.some((l) => JSON.parse(l).req?.url === `/callbacks/${h.paymentMethodId}`),
      'the callback request is logged with its id',
    );

    // The outbox worker names the request in its line for that message.
    const worker: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        worker.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const w = startOutboxWorker(h.deps, { pollMs: 20, batch: 20, logger: pino({ level: 'info' }, sink) });
    try {
      await waitFor(
        'the worker tried the message',
        async () => worker.some((l) => l.includes(fromCallback[0].id)),
        5000,
      );
    } finally {
      await w.stop();
    }
    const line = JSON.parse(worker.find((l) => l.includes(fromCallback[0].id))!);
    assert.equal(line.reqId, requestId);
    assert.equal(line.message, fromCallback[0].id);
  } finally {
    await h.api('DELETE', `/v1/webhook-endpoints/${ep.body.id}`, undefined, { key: h.adminKey });
  }
});

test('request id: a well-formed X-Request-Id is kept, anything else is replaced', async () => {
  const { providerRef } = await orderAwaitingPayment();
  const kept = await signedCallback(providerRef, { 'x-request-id': 'lb-7f3a9c21e0d4' });
  assert.equal(kept.headers.get('x-request-id'), 'lb-7f3a9c21e0d4');
  const tooLong = await fetch(`${h.url}/health`, { headers: { 'x-request-id': 'a'.repeat(65) } });
  assert.match(tooLong.headers.get('x-request-id') ?? '', /^req_/);
  const badChars = await fetch(`${h.url}/health`, { headers: { 'x-request-id': 'abc def"ghi{}' } });
  assert.match(badChars.headers.get('x-request-id') ?? '', /^req_/);
});
