import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const N = 200;

test(`${N} concurrent POST /v1/orders with one reference create exactly one order`, async () => {
  const reference = newReference('RACE');
  const body = { reference, currency: 'USD', lines: [{ sku: 'A', name: 'A', quantity: 1, unit_amount: 1999 }] };
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      h.api('POST', '/v1/orders', i % 2 ? body : { ...body, reference: reference.toUpperCase() }),
    ),
  );
  const statuses = results.map((r) => r.status);
  assert.ok(
    statuses.every((s) => s === 200 || s === 201),
    `statuses: ${[...new Set(statuses)]}`,
  );
  assert.equal(statuses.filter((s) => s === 201).length, 1);
  const ids = new Set(results.map((r) => r.body.id));
  assert.equal(ids.size, 1);
  // Every answer carries the same order key, so a store whose first answer was lost still has it.
  assert.equal(new Set(results.map((r) => r.body.order_key)).size, 1);
  const list = await h.api('GET', `/v1/orders?reference=${encodeURIComponent(reference)}`);
  assert.equal(list.body.data.length, 1);
  const timeline = await h.api('GET', `/v1/orders/${[...ids][0]}/timeline`);
  assert.deepEqual(
    timeline.body.data.map((e: { kind: string }) => e.kind),
    ['order.created'],
  );

  const conflict = await h.api('POST', '/v1/orders', {
    ...body,
    lines: [{ sku: 'A', name: 'A', quantity: 2, unit_amount: 1999 }],
  });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.code, 'order_reference_conflict');
});

test(`${N} concurrent identical verified callbacks move the attempt once and append one paid event`, async () => {
  const reference = newReference('BURST');
  const order = await h.api('POST', '/v1/orders', { reference, currency: 'AMD', amount: 990000 });
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201);
  // Signed as the acquirer signs (md5 of key;order;status), computed here independently.
  const hash = createHash('md5').update(`${TEST_PRIVATE_KEY};${reference};executed`).digest('hex');
  const callback = JSON.stringify({ order_id: reference, status: 'executed', hash });
  const answers = await Promise.all(
    Array.from({ length: N }, () =>
      fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: callback,
      }),
    ),
  );
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
  const after = await h.api('GET', `/v1/orders/${order.body.id}`);
  assert.equal(after.body.payments[0].status, 'succeeded');
  assert.equal(after.body.status, 'processing');
  const timeline = await h.api('GET', `/v1/orders/${order.body.id}/timeline`);
  const kinds = timeline.body.data.map((e: { kind: string }) => e.kind);
  assert.equal(kinds.filter((k: string) => k === 'payment.succeeded').length, 1);
  assert.equal(kinds.filter((k: string) => k === 'order.status_changed').length, 1);
  const log = await h.store.storage.read.listCallbacks({ paymentMethodId: h.paymentMethodId, limit: 1000 });
  const mine = log.filter((c) => c.orderId === order.body.id);
  assert.equal(mine.length, N);
  assert.equal(mine.filter((c) => c.outcome === 'applied').length, 1);
  assert.equal(mine.filter((c) => c.outcome === 'duplicate').length, N - 1);
});

test('concurrent callbacks for different orders, committed together, each keep their own request id', async () => {
  const ep = await h.api(
    'POST',
    '/v1/webhook-endpoints',
    { url: 'http://127.0.0.1:9/never', events: ['payment.succeeded'] },
    { key: h.adminKey },
  );
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
  try {
    const orders = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const reference = newReference(`RID${i}`);
        const order = await h.api('POST', '/v1/orders', { reference, currency: 'AMD', amount: 5000 });
        const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, {
          payment_method_id: h.paymentMethodId,
        });
        assert.equal(payment.status, 201);
        return { id: order.body.id as string, reference, requestId: `lb-rid-${i}-${reference.slice(-6)}` };
      }),
    );
    // All sent at once, so on SQLite they share commits (storage/sqlite/group-commit.ts).
    const answers = await Promise.all(
      orders.map((o) =>
        fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': o.requestId },
          body: JSON.stringify({
            order_id: o.reference,
            status: 'executed',
            hash: createHash('md5').update(`${TEST_PRIVATE_KEY};${o.reference};executed`).digest('hex'),
          }),
        }),
      ),
    );
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    for (const o of orders) {
      const outbox = await h.api('GET', `/v1/outbox?order_id=${o.id}`, undefined, { key: h.adminKey });
      const paid = outbox.body.data.filter((m: { event_type: string }) => m.event_type === 'payment.succeeded');
      assert.deepEqual(
        paid.map((m: { request_id: string }) => m.request_id),
        [o.requestId],
      );
    }
  } finally {
    await h.api('DELETE', `/v1/webhook-endpoints/${ep.body.id}`, undefined, { key: h.adminKey });
  }
});
