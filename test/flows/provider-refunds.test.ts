// Refunds through a provider that has a refund call, and chargebacks the provider reports,
// over real HTTP: the generic paths a connector with these abilities takes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { newReference, TEST_PRIVATE_KEY, TEST_SHOP_ID } from '../support/harness.js';
import { settleOutbox, startWorld, type World } from '../support/after-payment.js';
import { md5, REFUNDING_CONNECTOR_ID, refundingConnector, startRefundApi } from '../support/refunding-provider.js';

let w: World;
let api: Awaited<ReturnType<typeof startRefundApi>>;
let pmId: string;
// The same provider behind a connector that fails (throws) once after the provider paid out: a
// request that ends in a 5xx with its money already moved.
let failAfterPaying = false;
const flakyConnector: typeof refundingConnector = {
  ...refundingConnector,
  id: 'test-refunding-flaky',
  async refund(settings, input, ctx) {
    const r = await refundingConnector.refund!(settings, input, ctx);
    if (failAfterPaying) {
      failAfterPaying = false;
      throw new Error('simulated failure after the provider paid');
    }
    return r;
  },
};
before(async () => {
  w = await startWorld({ extraConnectors: [refundingConnector, flakyConnector] });
  api = await startRefundApi();
  const pm = await w.h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Refunding provider',
      connector: REFUNDING_CONNECTOR_ID,
      settings: {
        shop_id: TEST_SHOP_ID,
        private_key: TEST_PRIVATE_KEY,
        payment_page_url: `${w.h.sandbox.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: api.url,
      },
    },
    { key: w.h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  pmId = pm.body.id;
});
after(async () => {
  await w.close();
  await api.close();
});

const admin = () => ({ key: w.h.adminKey });
const callback = (body: Record<string, unknown>) =>
  fetch(`${w.h.url}/callbacks/${pmId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function paid(amount = 100000) {
  const order = await w.h.api('POST', '/v1/orders', {
    reference: newReference('PR'),
    currency: 'AMD',
    amount,
    customer: { email: 'b@example.com' },
  });
  const payment = await w.h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pmId });
  const ref = payment.body.provider_ref as string;
  const res = await callback({ order_id: ref, status: 'executed', hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`) });
  assert.equal(res.status, 200);
  return { orderId: order.body.id as string, ref };
}

test('a refund the provider makes is recorded as requested, then succeeded with its reference', async () => {
  const { orderId } = await paid();
  const r = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 25000, reason: 'late delivery' }, admin());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'succeeded');
  assert.match(r.body.provider_ref, /^RF-/);
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.payment_status, 'partially_refunded');
  const kinds = (await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.map((e: { kind: string }) => e.kind);
  assert.ok(
    kinds.indexOf('refund.requested') < kinds.indexOf('refund.succeeded'),
    'requested before the call, succeeded after it',
  );
  await settleOutbox(w.h, orderId);
  assert.equal(
    (await w.h.api('GET', `/v1/orders/${orderId}`)).body.receipts.filter(
      (x: { kind: string; status: string }) => x.kind === 'refund' && x.status === 'issued',
    ).length,
    1,
  );
});

test('a refund the provider refuses is failed, with a task; the money stays refundable', async () => {
  const { orderId } = await paid();
  api.setSwitches({ refuse: true });
  try {
    const r = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 100000, reason: 'returned' }, admin());
    assert.equal(r.status, 201);
    assert.equal(r.body.status, 'failed');
    assert.match(r.body.error, /card account is closed/);
    assert.equal((await w.h.store.storage.read.listTasks({ orderId, kind: 'refund_failed' })).length, 1);
    assert.equal((await w.h.api('GET', `/v1/orders/${orderId}`)).body.payment_status, 'paid');
  } finally {
    api.setSwitches({ refuse: false });
  }
  const again = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 100000, reason: 'returned' }, admin());
  assert.equal(again.body.status, 'succeeded');
});

test('a refund with no answer stays requested; the janitor sends it again under the same id and it is paid once', async () => {
  const { orderId } = await paid();
  api.setSwitches({ holdMs: 1500 });
  const r = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 100000, reason: 'returned' }, admin());
  api.setSwitches({ holdMs: 0 });
  assert.equal(r.status, 202);
  assert.equal(r.body.status, 'requested');
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 1, reason: 'x' }, admin())).status,
    409,
    'the requested refund holds its amount',
  );
  const report = await runJanitor(w.h.deps, {
    ...DEFAULT_JANITOR,
    checkAfterMs: 3_600_000,
    lifetimeMs: 3_600_000,
    settleAfterMs: 0,
    batch: 100,
  });
  assert.equal(report?.refundsResent, 1);
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.refunds[0].status, 'succeeded');
  assert.equal(o.payment_status, 'refunded');
  assert.equal(
    api.refunds().filter((x) => x.order_id === o.payments[0].provider_ref).length,
    1,
    'the provider made it once',
  );
});

test('a refund answered with a gateway error (HTTP 502) may have been made: it stays requested and is paid once', async () => {
  const { orderId, ref } = await paid();
  api.setSwitches({ gatewayError: true });
  const r = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 40000, reason: 'returned' }, admin());
  api.setSwitches({ gatewayError: false });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.status, 'requested');
  assert.equal(
    (await w.h.store.storage.read.listTasks({ orderId, kind: 'refund_failed' })).length,
    0,
    'nobody is told to refund it another way',
  );
  const report = await runJanitor(w.h.deps, {
    ...DEFAULT_JANITOR,
    checkAfterMs: 3_600_000,
    lifetimeMs: 3_600_000,
    settleAfterMs: 0,
    batch: 100,
  });
  assert.equal(report?.refundsResent, 1);
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.deepEqual([o.refunds.length, o.refunds[0].status, o.payment_status], [1, 'succeeded', 'partially_refunded']);
  assert.equal(api.refunds().filter((x) => x.order_id === ref).length, 1, 'the provider made it once');
});

test('a refund still unsettled when sent again keeps its amount and gets one task, however often the janitor asks', async () => {
  const { orderId, ref } = await paid();
  api.setSwitches({ gatewayError: true });
  const r = await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 30000, reason: 'returned' }, admin());
  assert.equal(r.status, 202);
  const sweep = () =>
    runJanitor(w.h.deps, {
      ...DEFAULT_JANITOR,
      checkAfterMs: 3_600_000,
      lifetimeMs: 3_600_000,
      settleAfterMs: 0,
      batch: 100,
    });
  await sweep();
  await sweep();
  api.setSwitches({ gatewayError: false });
  const tasks = await w.h.store.storage.read.listTasks({ orderId, kind: 'refund_failed', status: 'open' });
  assert.equal(tasks.length, 1);
  assert.match(tasks[0]!.reason, /no settled outcome.*keeps its amount reserved/);
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.refunds[0].status, 'requested', 'never failed on a guess');
  await sweep();
  const after = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(after.refunds[0].status, 'succeeded');
  assert.equal(api.refunds().filter((x) => x.order_id === ref).length, 1, 'the provider made it once');
});

test('Idempotency-Key: a refund request that failed (5xx) after the provider paid is not run again by a retry with its key', async () => {
  const pm = await w.h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Flaky refunds',
      connector: 'test-refunding-flaky',
      settings: {
        shop_id: TEST_SHOP_ID,
        private_key: TEST_PRIVATE_KEY,
        payment_page_url: `${w.h.sandbox.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: api.url,
      },
    },
    admin(),
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  const order = await w.h.api('POST', '/v1/orders', { reference: newReference('FL'), currency: 'AMD', amount: 100000 });
  const payment = await w.h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pm.body.id });
  const ref = payment.body.provider_ref as string;
  const cb = await fetch(`${w.h.url}/callbacks/${pm.body.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: ref, status: 'executed', hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`) }),
  });
  assert.equal(cb.status, 200);

  failAfterPaying = true;
  const opts = { ...admin(), headers: { 'idempotency-key': `refund-${ref}` } };
  const first = await w.h.api(
    'POST',
    `/v1/orders/${order.body.id}/refunds`,
    { amount: 30000, reason: 'returned' },
    opts,
  );
  assert.equal(first.status, 500);
  const retry = await w.h.api(
    'POST',
    `/v1/orders/${order.body.id}/refunds`,
    { amount: 30000, reason: 'returned' },
    opts,
  );
  assert.equal(retry.status, 500, 'the first answer again');
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(retry.body, first.body);
  assert.equal((await w.h.store.storage.read.listRefunds(order.body.id)).length, 1, 'one refund recorded');
  assert.equal(api.refunds().filter((x) => x.order_id === ref).length, 1, 'the provider paid once');
});

test('a dispute recorded by hand, then reported by the provider, is one chargeback; chargebacks together cannot exceed the payment', async () => {
  const { orderId, ref } = await paid(100000);
  const byHand = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/chargebacks`,
    { amount: 60000, reason_code: '4837', note: 'letter from the acquirer' },
    admin(),
  );
  assert.equal(byHand.status, 201, JSON.stringify(byHand.body));
  const tooMuch = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/chargebacks`,
    { amount: 50000, reason_code: '4837' },
    admin(),
  );
  assert.equal(tooMuch.status, 422, JSON.stringify(tooMuch.body));
  assert.equal(tooMuch.body.code, 'chargeback_exceeds_payment');
  assert.match(tooMuch.body.message, /already hold 600\.00 AMD/);

  const notice = (status: string) => ({
    order_id: ref,
    dispute_id: 'DSP-HAND',
    amount: 60000,
    reason_code: '4837',
    status,
    hash: md5(`${TEST_PRIVATE_KEY};${ref};DSP-HAND;${status}`),
  });
  assert.equal((await callback(notice('opened'))).status, 200);
  assert.equal((await callback(notice('won'))).status, 200);
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.chargebacks.length, 1, 'matched, not counted twice');
  assert.deepEqual(
    [o.chargebacks[0].id, o.chargebacks[0].provider_ref, o.chargebacks[0].status],
    [byHand.body.id, 'DSP-HAND', 'won'],
  );
  assert.equal(o.payment_status, 'paid');
  const timeline = (await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.map(
    (e: { kind: string }) => e.kind,
  );
  assert.equal(timeline.filter((k: string) => k === 'chargeback.matched').length, 1);
  assert.equal(timeline.filter((k: string) => k === 'chargeback.opened').length, 1);
});

test('a dispute the provider reports is a chargeback, applied once, then decided', async () => {
  const { orderId, ref } = await paid();
  const notice = (status: string) => ({
    order_id: ref,
    dispute_id: 'DSP-9',
    amount: 100000,
    reason_code: '4837',
    status,
    hash: md5(`${TEST_PRIVATE_KEY};${ref};DSP-9;${status}`),
  });
  assert.equal((await callback(notice('opened'))).status, 200);
  assert.equal((await callback(notice('opened'))).status, 200, 'a repeat is acknowledged');
  let o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.chargebacks.length, 1);
  assert.deepEqual(
    [o.chargebacks[0].source, o.chargebacks[0].status, o.chargebacks[0].provider_ref],
    ['provider', 'opened', 'DSP-9'],
  );
  assert.equal(o.payment_status, 'charged_back');
  assert.equal(o.payments[0].status, 'succeeded', 'the payment itself does not move');
  const forged = await callback({ ...notice('won'), hash: md5('nope') });
  assert.equal(forged.status, 403);
  assert.equal((await callback(notice('lost'))).status, 200);
  o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.chargebacks[0].status, 'lost');
  const outcomes = (await w.h.api('GET', `/v1/callbacks?payment_method_id=${pmId}`, undefined, admin())).body.data
    .slice(0, 4)
    .map((c: { outcome: string }) => c.outcome);
  assert.deepEqual(outcomes, ['applied', 'rejected', 'duplicate', 'applied']);
});
