import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { paidOrder } from '../support/after-payment.js';
import { newReference, startHarness, type Harness } from '../support/harness.js';

// GET /v1/orders filters by every track, payment method, day and reference; the admin list
// uses the same query.
let h: Harness;
let paid: { orderId: string; reference: string };
let pending: { id: string; reference: string };
before(async () => {
  h = await startHarness();
  paid = await paidOrder(h, { amount: 20000 });
  const reference = newReference('FLT');
  const r = await h.api('POST', '/v1/orders', {
    reference,
    currency: 'AMD',
    amount: 10000,
    customer: { email: 'f@example.com' },
  });
  pending = { id: r.body.id, reference };
  // The paid order's webhook was given up: sync=failed finds it.
  const at = new Date().toISOString();
  await h.deps.storage.transaction((tx) =>
    tx.insertOutbox([
      {
        id: 'msg_filter_test',
        topic: 'webhook',
        eventType: 'payment.succeeded',
        orderId: paid.orderId,
        orderSeq: 99,
        target: 'we_gone',
        payload: {},
        status: 'failed',
        attempts: 5,
        nextAttemptAt: at,
        lastError: 'HTTP 500',
        createdAt: at,
        queuedAt: at,
        deliveredAt: null,
        requestId: null,
      },
    ]),
  );
});
after(() => h.close());

const ids = async (query: string) => {
  const r = await h.api('GET', `/v1/orders?${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body.data as { id: string }[]).map((o) => o.id);
};

test('each track, the method, the day and the reference narrow the list', async () => {
  assert.deepEqual(await ids('payment_status=paid'), [paid.orderId]);
  assert.deepEqual(await ids('payment_status=unpaid'), [pending.id]);
  assert.deepEqual(await ids('status=pending_payment'), [pending.id]);
  assert.deepEqual(await ids('review_status=approved'), [paid.orderId]);
  assert.deepEqual(await ids('delivery_status=delivered'), []);
  assert.deepEqual(await ids('fiscal_status=not_required'), [pending.id, paid.orderId]);
  assert.deepEqual(await ids(`payment_method_id=${h.paymentMethodId}`), [paid.orderId]);
  assert.deepEqual(await ids('sync=failed'), [paid.orderId]);
  assert.deepEqual(await ids('sync=pending'), []);
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(await ids(`created_from=${today}&created_to=${today}`), [pending.id, paid.orderId]);
  assert.deepEqual(await ids('created_to=2020-01-01'), []);
  assert.deepEqual(await ids(`reference=${pending.reference.toLowerCase()}`), [pending.id]);
  assert.deepEqual(await ids(`reference=${pending.reference.slice(0, 5)}*`), [pending.id]);
  assert.deepEqual(await ids('reference=%25*'), [], 'a % in the search is literal');
});

test('a filter value outside its list, or a day that is not one, is a 400 in the one error shape', async () => {
  for (const q of ['status=paid', 'sync=late', 'created_from=2026-02-31', 'created_to=yesterday']) {
    const r = await h.api('GET', `/v1/orders?${q}`);
    assert.equal(r.status, 400, q);
    assert.deepEqual(Object.keys(r.body).sort(), ['code', 'error', 'message', 'statusCode'], q);
  }
});
