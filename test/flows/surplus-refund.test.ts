// A double payment (a second attempt of an order already paid succeeds) refunded automatically
// when the payment method says so, over real HTTP: signed callbacks to Settle and the provider's
// refund API on 127.0.0.1, the same provider as test/flows/provider-refunds.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { AdminClient } from '../support/admin-client.js';
// The provider with refunds but without a cancel call, and the same whose refunds are accepted first and finished only when asked again.
import { noCancel, paidTwice as paidTwiceIn, refundingMethod, slow } from '../support/double-payment.js';
import { startHarness, TEST_SHOP_ID, type Harness } from '../support/harness.js';
import { startRefundApi } from '../support/refunding-provider.js';

let h: Harness;
let api: Awaited<ReturnType<typeof startRefundApi>>;
before(async () => {
  h = await startHarness({ extraConnectors: [noCancel, slow] });
  api = await startRefundApi();
});
after(async () => {
  await h.close();
  await api.close();
});

const admin = () => ({ key: h.adminKey });
const janitorNow = { ...DEFAULT_JANITOR, checkAfterMs: 3_600_000, lifetimeMs: 3_600_000, settleAfterMs: 0, batch: 500 };

const method = (connector: string, body: Record<string, unknown> = {}) => refundingMethod(h, api.url, connector, body);
const paidTwice = (pmId: string, repeat = 1) => paidTwiceIn(h, pmId, repeat);

const detail = async (orderId: string) => (await h.api('GET', `/v1/orders/${orderId}`)).body;
const tasks = (orderId: string, kind = 'double_payment') => h.store.storage.read.listTasks({ orderId, kind });
const madeFor = (ref: string) => api.refunds().filter((r) => r.order_id === ref);

test('auto_refund_surplus off (the default): a double_payment task opens as before and nothing is refunded', async () => {
  const pm = await method(noCancel.id);
  assert.equal(pm.auto_refund_surplus, false);
  const { orderId, second } = await paidTwice(pm.id);
  const o = await detail(orderId);
  assert.deepEqual(
    o.payments.map((p: { status: string }) => p.status),
    ['succeeded', 'succeeded'],
  );
  assert.equal(o.payment_status, 'paid');
  assert.deepEqual(o.refunds, []);
  const open = await tasks(orderId);
  assert.deepEqual(
    open.map((t) => [t.status, t.owner]),
    [['open', 'accounting']],
  );
  assert.match(open[0]!.reason, /Refund the surplus of 1200\.00 AMD/);
  assert.deepEqual(madeFor(second.provider_ref), []);
});

test('auto_refund_surplus on: the surplus payment is refunded once, even for a repeated callback, and the task is resolved by it', async () => {
  const pm = await method(noCancel.id, { auto_refund_surplus: true });
  const calls = api.calls();
  const { orderId, second } = await paidTwice(pm.id, 2);
  const o = await detail(orderId);
  assert.equal(o.status, 'processing');
  assert.equal(o.payment_status, 'paid', 'the order is still paid: the money it never owed went back');
  assert.equal(o.refunded_amount, 120000);
  assert.equal(o.outstanding_amount, 0);
  assert.deepEqual(
    o.refunds.map((r: { id: string; status: string; amount: number; payment_id: string }) => [
      r.id,
      r.status,
      r.amount,
      r.payment_id,
    ]),
    [[`rf_surplus_${second.id}`, 'succeeded', 120000, second.id]],
  );
  assert.equal(madeFor(second.provider_ref).length, 1, 'the provider refunded it once');
  assert.equal(api.calls() - calls, 1, 'and was asked once');
  const [task, ...more] = await tasks(orderId);
  assert.deepEqual(more, []);
  assert.equal(task!.status, 'resolved');
  assert.match(task!.reason, /A refund is on its way/);
  assert.match(task!.resolution ?? '', new RegExp(`Refunded automatically: .*rf_surplus_${second.id}`));
  const log = (await h.api('GET', `/v1/callbacks?order_id=${orderId}`, undefined, admin())).body.data;
  assert.deepEqual(log.map((c: { outcome: string }) => c.outcome).sort(), ['applied', 'applied', 'duplicate']);
  // The store refunds the rest: the order is refunded, never by more than was paid.
  const rest = await h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 120000, reason: 'returned' }, admin());
  assert.equal(rest.body.status, 'succeeded', JSON.stringify(rest.body));
  assert.equal((await detail(orderId)).payment_status, 'refunded');
  const more2 = await h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 1, reason: 'x' }, admin());
  assert.equal(more2.status, 409);
});

test('a surplus refund the provider only accepts: the task stays open saying so, and is resolved when it succeeds', async () => {
  const pm = await method(slow.id, { auto_refund_surplus: true });
  const { orderId, second } = await paidTwice(pm.id);
  let o = await detail(orderId);
  assert.equal(o.refunds[0].status, 'pending');
  assert.equal(o.refunded_amount, 0);
  assert.equal(o.payment_status, 'paid');
  let [task] = await tasks(orderId);
  assert.equal(task!.status, 'open');
  assert.match(task!.reason, new RegExp(`A refund is on its way: .*${second.provider_ref}.*rf_surplus_${second.id}`));

  await runJanitor(h.deps, janitorNow);
  o = await detail(orderId);
  assert.equal(o.refunds[0].status, 'succeeded');
  assert.equal(o.refunded_amount, 120000);
  assert.equal(o.payment_status, 'paid');
  [task] = await tasks(orderId);
  assert.equal(task!.status, 'resolved');
  assert.equal(madeFor(second.provider_ref).length, 1);
});

test('a surplus refund the provider refuses: the double_payment task stays open beside a refund_failed one', async () => {
  const pm = await method(noCancel.id, { auto_refund_surplus: true });
  api.setSwitches({ refuse: true });
  try {
    const { orderId } = await paidTwice(pm.id);
    const o = await detail(orderId);
    assert.equal(o.refunds[0].status, 'failed');
    assert.equal(o.outstanding_amount, 0);
    assert.equal((await tasks(orderId))[0]!.status, 'open');
    assert.equal((await tasks(orderId, 'refund_failed')).length, 1);
  } finally {
    api.setSwitches({ refuse: false });
  }
});

test('auto_refund_surplus is changed through the API and shown to admin keys and on the admin page', async () => {
  const pm = await method(noCancel.id);
  const patched = await h.api('PATCH', `/v1/payment-methods/${pm.id}`, { auto_refund_surplus: true }, admin());
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.auto_refund_surplus, true);
  const listed = (await h.api('GET', '/v1/payment-methods', undefined, admin())).body.data;
  assert.equal(listed.find((m: { id: string }) => m.id === pm.id).auto_refund_surplus, true);
  const checkout = (await h.api('GET', '/v1/payment-methods')).body.data;
  assert.equal(checkout.find((m: { id: string }) => m.id === pm.id).auto_refund_surplus, undefined, 'admin keys only');
  assert.equal(
    (await h.api('PATCH', `/v1/payment-methods/${pm.id}`, { auto_refund_surplus: 'yes' }, admin())).status,
    400,
  );

  const page = await AdminClient.signedIn(h, 'admin');
  const form = await page.get(`/admin/settings/payment-methods/${pm.id}`);
  assert.equal(form.status, 200);
  assert.match(form.html, /name="auto_refund_surplus"\s+value="on"\s+checked/);
  // Unticked in the form: off again.
  const saved = await page.post(`/admin/settings/payment-methods/${pm.id}`, {
    name: 'Refunding again',
    enabled: 'on',
    currencies: '',
    min_amount: '',
    max_amount: '',
    'setting.shop_id': TEST_SHOP_ID,
    'setting.private_key': '',
    'setting.payment_page_url': `${h.sandbox.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
    'setting.api_base_url': api.url,
  });
  assert.equal(saved.status, 303, saved.html);
  assert.equal((await h.deps.storage.read.getPaymentMethod(pm.id))?.autoRefundSurplus, false);
  assert.doesNotMatch(
    (await page.get(`/admin/settings/payment-methods/${pm.id}`)).html,
    /name="auto_refund_surplus"\s+value="on"\s+checked/,
  );
});
