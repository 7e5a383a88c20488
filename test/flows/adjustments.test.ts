import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { paidOrder, startWorld, type World } from '../support/after-payment.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});

const order = async (id: string) => (await w.h.api('GET', `/v1/orders/${id}`)).body;

test('an item out of stock on a prepaid order refunds exactly the difference once, however often the request is sent', async () => {
  const { orderId } = await paidOrder(w.h, { lines: true, amount: 150000 }); // 2 × MUG at 750.00
  const body = { kind: 'partial_cancellation', lines: [{ sku: 'MUG', quantity: 1 }], reason: 'out of stock' };
  const headers = { 'idempotency-key': `adj-${orderId}` };
  const [a, b] = await Promise.all([
    w.h.api('POST', `/v1/orders/${orderId}/adjustments`, body, { headers }),
    w.h.api('POST', `/v1/orders/${orderId}/adjustments`, body, { headers }),
  ]);
  const again = await w.h.api('POST', `/v1/orders/${orderId}/adjustments`, body, { headers });
  assert.deepEqual([a.status, b.status, again.status], [201, 201, 201], JSON.stringify([a.body, b.body]));
  assert.deepEqual(b.body, a.body, 'the second answers the first result');
  assert.deepEqual(again.body, a.body);
  assert.equal(a.body.adjustment.amount_delta, -75000);
  assert.equal(a.body.refund.amount, 75000);
  assert.deepEqual(a.body.refund.lines, [{ sku: 'MUG', quantity: 1 }]);
  const o = await order(orderId);
  assert.deepEqual([o.original_amount, o.amount], [150000, 75000]);
  assert.equal(o.adjustments.length, 1);
  assert.equal(o.refunds.length, 1, 'one refund, not two');
  assert.equal(o.lines[0].quantity, 1);
  const timeline = (await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data;
  const adjusted = timeline.filter((e: { kind: string }) => e.kind === 'order.adjusted');
  assert.equal(adjusted.length, 1);
  assert.match(adjusted[0].summary, /1500\.00 AMD → 750\.00 AMD\. Reason: out of stock/);
  assert.equal(adjusted[0].actor, 'store');

  // Confirming the manual refund makes it count.
  await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds/${a.body.refund.id}/confirm`,
    { note: 'paid back' },
    { key: w.h.adminKey },
  );
  const after = await order(orderId);
  assert.deepEqual([after.amount, after.refunded_amount, after.payment_status], [75000, 75000, 'partially_refunded']);
});

test('a rise on a prepaid order becomes a payment link for the difference; a manual price needs an admin; an open payment blocks changes', async () => {
  const { orderId } = await paidOrder(w.h);
  const fee = await w.h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'fee_change',
    amount_delta: 5000,
    reason: 'courier surcharge',
  });
  assert.equal(fee.status, 201);
  assert.equal(fee.body.refund, null);
  assert.deepEqual([fee.body.payment_link.amount, fee.body.payment_link.status], [5000, 'active']);
  assert.equal((await order(orderId)).outstanding_amount, 5000);
  assert.equal(
    (
      await w.h.api('POST', `/v1/orders/${orderId}/adjustments`, {
        kind: 'manual_price',
        amount_delta: -100,
        reason: 'goodwill',
      })
    ).status,
    403,
  );
  const manual = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/adjustments`,
    { kind: 'manual_price', amount_delta: -100, reason: 'goodwill' },
    { key: w.h.adminKey },
  );
  assert.equal(manual.status, 201);
  assert.equal(manual.body.adjustment.actor, 'api_key:test-admin');

  const pending = await w.h.api('POST', '/v1/orders', {
    reference: `ADJ-${Date.now()}`,
    currency: 'AMD',
    amount: 1000,
  });
  await w.h.api('POST', `/v1/orders/${pending.body.id}/payments`, { payment_method_id: w.h.paymentMethodId });
  const blocked = await w.h.api('POST', `/v1/orders/${pending.body.id}/adjustments`, {
    kind: 'fee_change',
    amount_delta: 100,
    reason: 'x',
  });
  assert.equal(blocked.status, 409);
  assert.equal(blocked.body.code, 'payment_in_progress');
  assert.equal(
    (
      await w.h.api('POST', `/v1/orders/${orderId}/adjustments`, {
        kind: 'partial_cancellation',
        amount_delta: -5,
        reason: 'x',
      })
    ).status,
    422,
  );
});

test('an adjustment whose refund cannot be made is refused and changes nothing', async () => {
  const { orderId } = await paidOrder(w.h, { lines: true, amount: 150000 });
  // 1000.00 of the 1500.00 is already on its way back: only 500.00 is refundable.
  assert.equal(
    (
      await w.h.api(
        'POST',
        `/v1/orders/${orderId}/refunds`,
        { amount: 100000, reason: 'goodwill' },
        { key: w.h.adminKey },
      )
    ).status,
    201,
  );
  const before = await order(orderId);
  const r = await w.h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'partial_cancellation',
    lines: [{ sku: 'MUG', quantity: 1 }],
    reason: 'out of stock',
  });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'refund_exceeds_refundable');
  const after = await order(orderId);
  assert.deepEqual(
    [after.amount, after.lines, after.adjustments, after.refunds.length],
    [before.amount, before.lines, [], 1],
  );
});
