// A double payment whose surplus support refunds by hand (POST /v1/orders/{id}/refunds) rather
// than Settle automatically: the money that went back is never refunded again by a later change
// of the amount, the order's balance and payment status say what it holds, and the double_payment
// task is resolved as it is by the automatic refund. Real HTTP, as test/flows/surplus-refund.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { noCancel, paidCallback, paidTwice, refundingMethod, doublePaymentCalls } from '../support/double-payment.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startRefundApi } from '../support/refunding-provider.js';

let h: Harness;
let api: Awaited<ReturnType<typeof startRefundApi>>;
let pmId: string;
let calls: ReturnType<typeof doublePaymentCalls>;
before(async () => {
  h = await startHarness({ extraConnectors: [noCancel] });
  api = await startRefundApi();
  pmId = (await refundingMethod(h, api.url, noCancel.id)).id;
  calls = doublePaymentCalls(h, api);
});
after(async () => {
  await h.close();
  await api.close();
});

test('the surplus payment refunded by hand: the order stays paid, owes nothing, the task is resolved, and a fall refunds only the fall', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  const back = await calls.refund(orderId, { amount: 120000, payment_id: second.id });
  assert.equal(back.status, 201, JSON.stringify(back.body));
  assert.equal(back.body.status, 'succeeded');

  let o = await calls.detail(orderId);
  assert.equal(o.payment_status, 'paid', 'the money it never owed went back: the order is still paid');
  assert.deepEqual([o.refunded_amount, o.outstanding_amount], [120000, 0]);
  const [task, ...more] = await calls.doublePayment(orderId);
  assert.deepEqual(more, []);
  assert.equal(task!.status, 'resolved', 'the surplus went back: nothing is left for accounting');
  assert.match(task!.resolution ?? '', new RegExp(back.body.id));

  // The order then costs 200.00 less: exactly that goes back, out of the payment it kept.
  const fall = await calls.adjust(orderId, -20000);
  assert.equal(fall.status, 201, JSON.stringify(fall.body));
  assert.deepEqual([fall.body.refund?.amount, fall.body.refund?.payment_id], [20000, first.id]);
  assert.equal(fall.body.refund.status, 'succeeded');
  o = await calls.detail(orderId);
  assert.deepEqual([o.amount, o.refunded_amount, o.outstanding_amount], [100000, 140000, 0]);
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref), 140000, 'paid 2400.00, kept 1000.00');
});

test('the surplus refunded by hand without payment_id: a rise is asked of the customer, never refunded out of money already given back', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  const back = await calls.refund(orderId, { amount: 120000 });
  assert.equal(back.body.status, 'succeeded', JSON.stringify(back.body));
  assert.equal(back.body.payment_id, first.id, 'taken from the first payment that covers it');
  assert.equal((await calls.detail(orderId)).payment_status, 'paid');
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'resolved');

  const rise = await calls.adjust(orderId, 20000);
  assert.equal(rise.status, 201, JSON.stringify(rise.body));
  assert.equal(rise.body.refund, null, 'the order holds 1200.00 and costs 1400.00: nothing goes back');
  assert.equal(rise.body.payment_link?.amount, 20000);
  let o = await calls.detail(orderId);
  assert.deepEqual([o.amount, o.outstanding_amount], [140000, 20000]);

  // The customer pays the link: that is what the order still owed, no second double payment.
  const post = await fetch(rise.body.payment_link.url, { method: 'POST', redirect: 'manual' });
  assert.equal(post.status, 303);
  const viaLink = (await h.store.storage.read.listAttempts(orderId)).find((a) => a.paymentLinkId !== null)!;
  assert.equal((await paidCallback(h, pmId, viaLink.providerRef)).status, 200);
  o = await calls.detail(orderId);
  assert.deepEqual([o.payment_status, o.outstanding_amount, o.refunded_amount], ['paid', 0, 120000]);
  assert.deepEqual(
    (await calls.doublePayment(orderId)).map((t) => t.status),
    ['resolved'],
  );
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref, viaLink.providerRef), 120000);
});

test('a surplus given back in two parts: the task stays open until all of it went back, and nothing is refunded twice', async () => {
  const { orderId, first, second } = await paidTwice(h, pmId);
  assert.equal((await calls.refund(orderId, { amount: 50000, payment_id: second.id })).body.status, 'succeeded');
  let o = await calls.detail(orderId);
  assert.deepEqual([o.payment_status, o.outstanding_amount], ['paid', 0]);
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'open', '700.00 of the surplus is still here');

  assert.equal((await calls.refund(orderId, { amount: 70000, payment_id: second.id })).body.status, 'succeeded');
  assert.equal((await calls.doublePayment(orderId))[0]!.status, 'resolved');
  const fall = await calls.adjust(orderId, -10000);
  assert.equal(fall.body.refund?.amount, 10000, JSON.stringify(fall.body));
  // A goodwill refund after it is the order's own: it makes the order partly refunded.
  assert.equal((await calls.refund(orderId, { amount: 5000, reason: 'scratched' })).body.status, 'succeeded');
  o = await calls.detail(orderId);
  assert.deepEqual([o.payment_status, o.outstanding_amount, o.refunded_amount], ['partially_refunded', 0, 135000]);
  assert.equal(calls.paidBack(first.provider_ref, second.provider_ref), 135000);
});
