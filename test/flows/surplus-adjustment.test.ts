// A double payment settled by a change of the order's amount rather than by a refund of its own: a
// rise that absorbs the surplus resolves the double_payment task in the adjustment's transaction
// (and completes the order if that was all it waited for); an adjustment whose refund gives the
// rest back resolves it when that refund succeeds. The split of each refund (surplus_amount) is in
// the API and on the admin order page. Real HTTP, as test/flows/surplus-manual-refund.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { AdminClient } from '../support/admin-client.js';
import { noCancel, paidTwice, refundingMethod, slow, doublePaymentCalls } from '../support/double-payment.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startRefundApi } from '../support/refunding-provider.js';

let h: Harness;
let api: Awaited<ReturnType<typeof startRefundApi>>;
let pmId: string;
let calls: ReturnType<typeof doublePaymentCalls>;
before(async () => {
  h = await startHarness({ extraConnectors: [noCancel, slow] });
  api = await startRefundApi();
  pmId = (await refundingMethod(h, api.url, noCancel.id)).id;
  calls = doublePaymentCalls(h, api);
});
after(async () => {
  await h.close();
  await api.close();
});

test('a rise that absorbs the whole surplus resolves the double payment without a refund and completes the order', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  assert.equal((await h.api('POST', `/v1/orders/${orderId}/fulfil`, { note: 'picked up' })).status, 204);
  assert.equal((await calls.detail(orderId)).status, 'processing', 'the double payment is still open');

  const rise = await calls.adjust(orderId, 120000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.deepEqual([rise.body.refund, rise.body.payment_link], [null, null], 'paid 2400.00 for 2400.00');
  const [task, ...more] = await calls.doublePayment(orderId);
  assert.deepEqual(more, []);
  assert.equal(task!.status, 'resolved');
  assert.match(
    task!.resolution ?? '',
    /Fee change: the amount change 1200\.00 AMD → 2400\.00 AMD absorbed the surplus/,
  );

  const o = await calls.detail(orderId);
  assert.equal(o.status, 'completed', 'the double payment was all it waited for');
  assert.deepEqual([o.amount, o.payment_status, o.outstanding_amount, o.refunded_amount], [240000, 'paid', 0, 0]);
  const kinds = (await h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.map((e: { kind: string }) => e.kind);
  assert.deepEqual(kinds.slice(-3), ['order.adjusted', 'task.resolved', 'order.status_changed']);
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref), 0);
});

test('a rise beyond what was paid resolves the double payment too, and asks the customer for the rest', async () => {
  const { orderId } = await paidTwice(h, pmId);
  const rise = await calls.adjust(orderId, 180000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.equal(rise.body.refund, null);
  assert.equal(rise.body.payment_link?.amount, 60000);
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'resolved', 'nothing is held beyond the amount');
  const o = await calls.detail(orderId);
  assert.deepEqual([o.status, o.outstanding_amount], ['processing', 60000]);
});

test('a rise that absorbs part of the surplus refunds the rest at once, and that refund resolves the task', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  const rise = await calls.adjust(orderId, 20000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.deepEqual(
    [
      rise.body.refund?.amount,
      rise.body.refund?.surplus_amount,
      rise.body.refund?.status,
      rise.body.refund?.payment_id,
    ],
    [100000, 100000, 'succeeded', first.id],
  );
  const [task] = await calls.doublePayment(orderId);
  assert.equal(task!.status, 'resolved');
  assert.match(task!.resolution ?? '', new RegExp(`surplus went back with refund ${rise.body.refund.id}`));
  const o = await calls.detail(orderId);
  assert.deepEqual([o.amount, o.payment_status, o.outstanding_amount, o.refunded_amount], [140000, 'paid', 0, 100000]);
  assert.equal(o.refunds[0].surplus_amount, 100000);
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref), 100000);
});

test('a fall after part of the surplus went back by hand: its refund gives back the rest, resolves the task, and the page shows the split', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  const part = await calls.refund(orderId, { amount: 50000, payment_id: second.id });
  assert.deepEqual([part.body.status, part.body.surplus_amount], ['succeeded', 50000], JSON.stringify(part.body));
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'open', '700.00 of the surplus is still here');

  // 1100.00 kept of 2400.00 paid: 1300.00 back in all, 700.00 of this refund the rest of the surplus.
  const fall = await calls.adjust(orderId, -10000);
  assert.equal(fall.status, 201, JSON.stringify(fall.body));
  assert.deepEqual(
    [
      fall.body.refund?.amount,
      fall.body.refund?.surplus_amount,
      fall.body.refund?.status,
      fall.body.refund?.payment_id,
    ],
    [80000, 70000, 'succeeded', first.id],
  );
  const [task] = await calls.doublePayment(orderId);
  assert.equal(task!.status, 'resolved');
  assert.match(task!.resolution ?? '', new RegExp(fall.body.refund.id));
  // A goodwill refund after it is the order's own: no surplus in it.
  const goodwill = await calls.refund(orderId, { amount: 5000, reason: 'scratched' });
  assert.deepEqual([goodwill.body.status, goodwill.body.surplus_amount], ['succeeded', 0]);

  const o = await calls.detail(orderId);
  assert.deepEqual(
    [o.amount, o.payment_status, o.outstanding_amount, o.refunded_amount],
    [110000, 'partially_refunded', 0, 135000],
  );
  assert.deepEqual(
    o.refunds.map((r: { amount: number; surplus_amount: number }) => [r.amount, r.surplus_amount]),
    [
      [50000, 50000],
      [80000, 70000],
      [5000, 0],
    ],
  );
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref), 135000);

  const page = await (await AdminClient.signedIn(h, 'support')).get(`/admin/orders/${orderId}`);
  assert.equal(page.status, 200);
  const labels = [...page.html.matchAll(/data-testid="refund-surplus">([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(labels, ['of which surplus 500.00 AMD', 'of which surplus 700.00 AMD'], 'none on the goodwill one');
});

test('a fall whose refund the provider refuses leaves the double payment open', async () => {
  const { orderId, second } = await paidTwice(h, pmId);
  assert.equal((await calls.refund(orderId, { amount: 50000, payment_id: second.id })).body.status, 'succeeded');
  api.setSwitches({ refuse: true });
  try {
    const fall = await calls.adjust(orderId, -10000);
    assert.equal(fall.status, 201, JSON.stringify(fall.body));
    assert.equal(fall.body.refund?.status, 'failed');
  } finally {
    api.setSwitches({ refuse: false });
  }
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'open', 'the rest of the surplus is still here');
  assert.equal((await h.store.storage.read.listTasks({ orderId, kind: 'refund_failed', status: 'open' })).length, 1);
});

// While the automatic surplus refund waits for the provider, what the order owes is not known: it
// counts as gone, so a link opened for a rise would overpay should that refund fail.
const settleRefunds = () =>
  runJanitor(h.deps, { ...DEFAULT_JANITOR, checkAfterMs: 3_600_000, lifetimeMs: 3_600_000, settleAfterMs: 0 });

async function riseRefusedWhileSurplusOnItsWay(orderId: string) {
  assert.equal((await calls.detail(orderId)).refunds[0].status, 'pending');
  const rise = await calls.adjust(orderId, 120000);
  assert.equal(rise.status, 409, JSON.stringify(rise.body));
  assert.equal(rise.body.code, 'refund_in_progress');
  const link = await h.api('POST', `/v1/orders/${orderId}/payment-links`, {
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
  });
  assert.equal(link.status, 409, JSON.stringify(link.body));
  assert.equal(link.body.code, 'refund_in_progress');
  const detail = await calls.detail(orderId);
  assert.equal(detail.amount, 120000, 'the refused rise changed nothing');
  assert.equal(detail.adjustments.length, 0);
}

test('a rise while the automatic surplus refund is on its way is refused; once it succeeded the rise is asked of the customer', async () => {
  const pm = await refundingMethod(h, api.url, slow.id, { auto_refund_surplus: true });
  const { orderId, second } = await paidTwice(h, pm.id);
  await riseRefusedWhileSurplusOnItsWay(orderId);

  await settleRefunds();
  const [task] = await calls.doublePayment(orderId);
  assert.equal(task!.status, 'resolved');
  assert.match(task!.resolution ?? '', new RegExp(`Refunded automatically: .*rf_surplus_${second.id}`));
  const rise = await calls.adjust(orderId, 120000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.equal(rise.body.payment_link?.amount, 120000, 'the surplus went back: the rise is asked of the customer');
  assert.equal((await calls.detail(orderId)).outstanding_amount, 120000);
});

test('a rise after the automatic surplus refund failed absorbs the surplus: no link, nothing overpaid', async () => {
  const pm = await refundingMethod(h, api.url, slow.id, { auto_refund_surplus: true });
  const { orderId } = await paidTwice(h, pm.id);
  await riseRefusedWhileSurplusOnItsWay(orderId);

  api.setSwitches({ refuse: true });
  try {
    await settleRefunds();
  } finally {
    api.setSwitches({ refuse: false });
  }
  assert.equal((await calls.detail(orderId)).refunds[0].status, 'failed');
  const rise = await calls.adjust(orderId, 120000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.equal(rise.body.payment_link, null, 'the customer paid 2400.00 of 2400.00: nothing to ask for');
  assert.equal(rise.body.refund, null);
  const detail = await calls.detail(orderId);
  assert.equal(detail.outstanding_amount, 0);
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'resolved', 'the new amount absorbed the surplus');
});
