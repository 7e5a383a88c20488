// A new payment attempt of an order cancels the order's older open attempts at the provider, so
// one customer cannot pay twice, over real HTTP against the acquirer sandbox (which has a cancel
// call) and a provider that has none.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { Connector } from '../../src/ports/connector.js';
import {
  newReference,
  sandboxSettings,
  startHarness,
  TEST_PRIVATE_KEY,
  TEST_SHOP_ID,
  type Harness,
} from '../support/harness.js';

// The seed acquirer's protocol without its cancel call: an older attempt stays open at the provider.
const { cancel: _cancel, ...withoutCancel } = acquiringV1;
const noCancelConnector: Connector<any> = {
  ...withoutCancel,
  id: 'test-no-cancel',
  title: 'Test provider without cancel',
};

let h: Harness;
let noCancelPm: string;
before(async () => {
  h = await startHarness({ httpTimeoutMs: 1000, extraConnectors: [noCancelConnector] });
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    { name: 'No cancel', connector: noCancelConnector.id, settings: sandboxSettings(h.sandbox.url) },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  assert.ok(!pm.body.abilities.includes('cancel'));
  noCancelPm = pm.body.id;
});
after(async () => {
  await h.close();
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sb = () => h.sandbox.sandbox;
const janitorNow = { ...DEFAULT_JANITOR, checkAfterMs: 3_600_000, lifetimeMs: 3_600_000, settleAfterMs: 0, batch: 500 };
const getOrder = async (id: string) => (await h.api('GET', `/v1/orders/${id}`)).body;
const summaries = async (id: string): Promise<string[]> =>
  (await h.api('GET', `/v1/orders/${id}/timeline`)).body.data.map((e: { summary: string }) => e.summary);
const operations = (orderId: string) => h.store.storage.read.listOperations({ orderId, limit: 10 });
const signed = (pmId: string, ref: string, status: string) =>
  fetch(`${h.url}/callbacks/${pmId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: ref, status, hash: md5(`${TEST_PRIVATE_KEY};${ref};${status}`) }),
  });

/** An order with one attempt that the customer has opened at the acquirer. */
async function opened(pmId = h.paymentMethodId) {
  const order = await h.api('POST', '/v1/orders', { reference: newReference('SA'), currency: 'AMD', amount: 150000 });
  assert.equal(order.status, 201);
  const first = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pmId });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal((await fetch(first.body.next_step.url)).status, 200);
  return { orderId: order.body.id as string, first: first.body };
}

async function again(orderId: string, pmId = h.paymentMethodId) {
  const r = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: pmId });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('a second attempt cancels the first at the provider; the first ends canceled and the timeline says so', async () => {
  const { orderId, first } = await opened();
  const second = await again(orderId);
  assert.equal(sb().getOrder(TEST_SHOP_ID, first.provider_ref)?.status, 'canceled', 'the acquirer got the cancel');
  const o = await getOrder(orderId);
  assert.deepEqual(
    o.payments.map((p: { status: string }) => p.status),
    ['canceled', 'created'],
  );
  assert.equal(o.status, 'pending_payment', 'the order itself does not move');
  assert.equal(o.payment_status, 'pending');
  const lines = await summaries(orderId);
  assert.ok(
    lines.includes(
      `Attempt ${first.provider_ref} canceled at the provider: a new attempt ${second.provider_ref} was started.`,
    ),
    lines.join('\n'),
  );
  assert.deepEqual(
    (await operations(orderId)).map((op) => [op.kind, op.status, op.attemptId]),
    [['supersede', 'succeeded', first.id]],
  );
  // The customer pays the new one: an ordinary payment, no task.
  await fetch(second.next_step.url);
  await sb().pay(TEST_SHOP_ID, second.provider_ref);
  await sb().idle();
  assert.equal((await getOrder(orderId)).status, 'processing');
  assert.deepEqual(await h.store.storage.read.listTasks({ orderId }), []);
});

test('a connector without cancel: the timeline records that the older attempt stays open at the provider', async () => {
  const { orderId, first } = await opened(noCancelPm);
  const second = await again(orderId, noCancelPm);
  assert.equal(sb().getOrder(TEST_SHOP_ID, first.provider_ref)?.status, 'opened');
  assert.deepEqual(
    (await getOrder(orderId)).payments.map((p: { status: string }) => p.status),
    ['created', 'created'],
  );
  const lines = await summaries(orderId);
  assert.ok(
    lines.some(
      (l) =>
        l.startsWith(
          `Attempt ${first.provider_ref} stays open at the provider: Test provider without cancel has no cancel call.`,
        ) &&
        l.includes(`new attempt ${second.provider_ref} was started`) &&
        /double payment may still come/.test(l),
    ),
    lines.join('\n'),
  );
  assert.deepEqual(await operations(orderId), [], 'nothing to ask the provider');
});

test('a cancel the acquirer refuses is recorded as failed, the older attempt stays open, the new one starts', async () => {
  const { orderId, first } = await opened();
  sb().setSwitches(first.provider_ref, { cancelError: 'error#1234' });
  const second = await again(orderId);
  sb().setSwitches(first.provider_ref, {});
  assert.equal(second.status, 'created');
  assert.equal(sb().getOrder(TEST_SHOP_ID, first.provider_ref)?.status, 'opened');
  assert.deepEqual(
    (await operations(orderId)).map((op) => op.status),
    ['failed'],
  );
  const lines = await summaries(orderId);
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `Attempt ${first.provider_ref} stays open at the provider: the provider refused the cancel (error#1234).`,
      ),
    ),
    lines.join('\n'),
  );
  assert.deepEqual(await h.store.storage.read.listTasks({ orderId }), [], 'no task until money moves twice');
});

test('an unreachable acquirer: the new attempt starts, the cancel is left for the janitor, which settles it', async () => {
  const { orderId, first } = await opened();
  sb().setSwitches(first.provider_ref, { timeoutMs: 1500 });
  const second = await again(orderId);
  assert.deepEqual(
    (await operations(orderId)).map((op) => [op.kind, op.status]),
    [['supersede', 'requested']],
  );
  assert.ok(
    (await summaries(orderId)).some((l) =>
      l.startsWith(`No usable answer from the provider to the cancel of attempt ${first.provider_ref}`),
    ),
  );
  // A cancel of an older attempt waiting for its answer does not hold up a further attempt.
  const third = await again(orderId);
  sb().setSwitches(first.provider_ref, {});
  assert.equal(
    sb().getOrder(TEST_SHOP_ID, second.provider_ref),
    undefined,
    'never opened: the acquirer does not know it',
  );

  await runJanitor(h.deps, janitorNow);
  const o = await getOrder(orderId);
  assert.equal(o.payments[0].status, 'canceled');
  assert.equal(o.payments[2].status, 'created', 'the newest attempt is left open');
  assert.equal(o.status, 'pending_payment');
  const ops = await operations(orderId);
  assert.deepEqual(
    ops.filter((op) => op.attemptId === first.id).map((op) => op.status),
    ['succeeded'],
  );
  assert.ok(
    (await summaries(orderId)).includes(
      `Attempt ${first.provider_ref} canceled at the provider: a new attempt ${second.provider_ref} was started.`,
    ),
  );
  assert.ok(third.id);
});

test('an older attempt the acquirer reports paid when asked to cancel it stays paid', async () => {
  const { orderId, first } = await opened();
  // The customer paid the first and its callback has not come: the cancel's answer says "executed".
  sb().setSwitches(first.provider_ref, { cancelError: 'executed' });
  const second = await again(orderId);
  sb().setSwitches(first.provider_ref, {});
  const o = await getOrder(orderId);
  assert.equal(o.payments[0].status, 'succeeded');
  assert.equal(o.payments[0].verified_by, 'status_check');
  assert.equal(o.status, 'processing');
  assert.deepEqual(
    (await operations(orderId)).map((op) => [op.status, op.error]),
    [['failed', 'paid before it could be canceled']],
  );
  assert.ok(
    (await summaries(orderId)).some((l) =>
      l.startsWith(
        `Attempt ${first.provider_ref} was paid before it could be canceled; a new attempt ${second.provider_ref}`,
      ),
    ),
  );
  // Its late callback is a duplicate and moves nothing back.
  assert.equal((await signed(h.paymentMethodId, first.provider_ref, 'canceled')).status, 200);
  assert.equal((await getOrder(orderId)).payments[0].status, 'succeeded');
});

test("the store cancels an order while an older attempt's cancel waits for an answer: the order is canceled once each is", async () => {
  const { orderId, first } = await opened();
  sb().setSwitches(first.provider_ref, { timeoutMs: 1500 });
  const second = await again(orderId);
  sb().setSwitches(first.provider_ref, {});
  await fetch(second.next_step.url);
  const r = await h.api('POST', `/v1/orders/${orderId}/cancel`, { reason: 'customer called' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'canceled');
  await runJanitor(h.deps, janitorNow);
  const o = await getOrder(orderId);
  assert.equal(o.status, 'canceled');
  assert.deepEqual(
    o.payments.map((p: { status: string }) => p.status),
    ['canceled', 'canceled'],
  );
  assert.ok((await operations(orderId)).every((op) => op.status !== 'requested'));
});
