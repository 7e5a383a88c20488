import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newReference, startHarness, TEST_SHOP_ID, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function orderWithPayment(lines = [{ sku: 'JAM', name: 'Jam', quantity: 2, unit_amount: 75000 }]) {
  const reference = newReference('FD');
  const order = await h.api('POST', '/v1/orders', {
    reference,
    currency: 'AMD',
    lines,
    customer: { email: 'c@example.test' },
    return_url: 'https://shop.example/return',
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201, JSON.stringify(payment.body));
  return { order: order.body, payment: payment.body, reference };
}

/** What a customer's browser does: open the payment page, press a button, follow redirects. */
async function customerPresses(url: string, button: 'pay' | 'decline') {
  const pageRes = await fetch(url);
  assert.equal(pageRes.status, 200);
  const html = await pageRes.text();
  const action = new RegExp(`action="([^"]*${button})"`).exec(html)?.[1];
  assert.ok(action, `the payment page has a ${button} form`);
  const res = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual' });
  assert.equal(res.status, 303);
  return res.headers.get('location')!;
}

test('full checkout through the acquirer sandbox over real HTTP: order, payment page, signed callback, return page', async () => {
  const { order, payment, reference } = await orderWithPayment();
  assert.equal(order.status, 'pending_payment');
  assert.equal(order.amount, 150000);
  assert.equal(payment.next_step.type, 'redirect');
  assert.ok(payment.next_step.url.startsWith(`${h.sandbox.url}/p/${TEST_SHOP_ID}/${reference}/1500.00/`));

  const returnLocation = await customerPresses(payment.next_step.url, 'pay');
  await h.sandbox.sandbox.idle();

  const paid = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(paid.body.status, 'processing');
  assert.equal(paid.body.payment_status, 'paid');
  assert.equal(paid.body.payments[0].status, 'succeeded');
  assert.equal(paid.body.payments[0].verified_by, 'signature');
  assert.equal(paid.body.payments[0].provider_status, 'executed');

  const timeline = await h.api('GET', `/v1/orders/${order.id}/timeline`);
  assert.deepEqual(
    timeline.body.data.map((e: { kind: string }) => e.kind),
    ['order.created', 'payment.created', 'payment.succeeded', 'review.approved', 'order.status_changed'],
  );
  const paidEvent = timeline.body.data[2];
  assert.equal(paidEvent.actor, 'provider');
  assert.match(paidEvent.summary, /Payment received: 1500\.00 AMD/);

  // The acquirer sends the customer back in its own terms; Settle shows the verified status.
  const back = await fetch(returnLocation, { redirect: 'manual' });
  assert.equal(back.status, 303);
  const returnPage = await fetch(new URL(back.headers.get('location')!, h.url));
  const text = await returnPage.text();
  assert.match(text, /data-testid="payment-status">Paid</);
  assert.match(text, /https:\/\/shop\.example\/return/);

  // The public view by order key shows the customer this order and nothing of the contact.
  const pub = await h.api('GET', `/v1/public/orders/${order.order_key}`, undefined, { key: null });
  assert.equal(pub.status, 200);
  assert.equal(pub.body.payment_status, 'paid');
  assert.equal(pub.body.customer, undefined);
  assert.equal(JSON.stringify(pub.body).includes('c@example.test'), false);
});

test('a decline marks the order payment_failed; a retry is a new attempt with its own reference and can be paid', async () => {
  const { order, payment, reference } = await orderWithPayment();
  await customerPresses(payment.next_step.url, 'decline');
  await h.sandbox.sandbox.idle();
  const failed = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(failed.body.status, 'payment_failed');
  assert.equal(failed.body.payments[0].status, 'failed');
  assert.match(failed.body.payments[0].error_code, /^\d+$/);

  const retry = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(retry.status, 201);
  assert.equal(retry.body.provider_ref, `${reference}-2`);
  assert.equal((await h.api('GET', `/v1/orders/${order.id}`)).body.status, 'pending_payment');
  await customerPresses(retry.body.next_step.url, 'pay');
  await h.sandbox.sandbox.idle();
  const paid = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(paid.body.status, 'processing');
  assert.deepEqual(
    paid.body.payments.map((p: { status: string }) => p.status),
    ['failed', 'succeeded'],
  );

  const again = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'order_not_payable');
});

test('the return page never marks anything paid, whatever its URL says', async () => {
  const { order, payment } = await orderWithPayment();
  assert.equal((await fetch(payment.next_step.url)).status, 200); // the customer opened the payment page
  const forged = await fetch(
    `${h.url}/return/${payment.id}?status=executed&order_id=${payment.provider_ref}&hash=0000`,
  );
  const text = await forged.text();
  assert.equal(forged.status, 200);
  assert.match(text, /Waiting for confirmation/);
  assert.match(text, /http-equiv="refresh"/);
  const after = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(after.body.payment_status, 'pending');
  // The page asked the acquirer: "opened" is the truth, verified by the status check.
  assert.equal(after.body.payments[0].status, 'pending');
  assert.equal(after.body.payments[0].verified_by, 'status_check');
  const unknown = await fetch(`${h.url}/return/pay_doesnotexist`);
  assert.equal(unknown.status, 404);
});

test('a late callback: the return page checks at the acquirer and shows the verified truth', async () => {
  const { order, payment, reference } = await orderWithPayment();
  h.sandbox.sandbox.setSwitches(reference, { drop: true });
  const returnLocation = await customerPresses(payment.next_step.url, 'pay');
  const back = await fetch(returnLocation, { redirect: 'manual' });
  const text = await (await fetch(new URL(back.headers.get('location')!, h.url))).text();
  assert.match(text, /data-testid="payment-status">Paid</);
  const paid = await h.api('GET', `/v1/orders/${order.id}`);
  assert.equal(paid.body.payments[0].verified_by, 'status_check');
  assert.equal(paid.body.status, 'processing');
  assert.equal(h.sandbox.sandbox.deliveries.filter((d) => d.orderId === reference).length, 0, 'no callback was sent');
});
