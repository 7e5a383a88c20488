import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kinds, paidOrder, settleOutbox, startWorld, type World } from '../support/after-payment.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});

const admin = () => ({ key: w.h.adminKey });
const order = async (id: string) => (await w.h.api('GET', `/v1/orders/${id}`)).body;
const timeline = async (id: string) => kinds((await w.h.api('GET', `/v1/orders/${id}/timeline`)).body.data);
const hooksFor = (orderId: string) =>
  w.receiver.received().filter((r) => (r.body as { data?: { order?: { id?: string } } }).data?.order?.id === orderId);

test('a refund without a provider refund call is recorded as manual with a task, then confirmed: refund mail, receipt and webhook', async () => {
  const { orderId, reference } = await paidOrder(w.h, { amount: 100000 });
  const refund = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds`,
    { amount: 40000, reason: 'one mug arrived broken' },
    admin(),
  );
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  assert.equal(refund.body.status, 'manual', 'the acquirer has no refund call, and the API says so');
  assert.equal(refund.body.actor, 'api_key:test-admin');
  let o = await order(orderId);
  assert.equal(o.payment_status, 'paid', 'nothing went back yet');
  const tasks = await w.h.store.storage.read.listTasks({ orderId, kind: 'refund_manual' });
  assert.equal(tasks.length, 1);
  assert.match(tasks[0]!.reason, /by hand/);

  const tooMuch = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds`,
    { amount: 60001, reason: 'too much' },
    admin(),
  );
  assert.equal(tooMuch.status, 409);
  assert.equal(tooMuch.body.code, 'refund_exceeds_refundable');
  assert.equal(tooMuch.body.details.refundable, 60000, 'the manual refund already counts against what is refundable');

  const confirmed = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds/${refund.body.id}/confirm`,
    { note: 'bank transfer 2026-11-23' },
    admin(),
  );
  assert.equal(confirmed.status, 200);
  assert.equal(confirmed.body.status, 'succeeded');
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds/${refund.body.id}/confirm`, { note: 'again' }, admin()))
      .status,
    409,
  );
  o = await order(orderId);
  assert.equal(o.payment_status, 'partially_refunded');
  assert.equal(o.refunds.length, 1);
  assert.equal(
    (await w.h.store.storage.read.listTasks({ orderId, kind: 'refund_manual', status: 'open' })).length,
    0,
    'its task is resolved',
  );
  assert.ok((await timeline(orderId)).includes('refund.succeeded'));

  await settleOutbox(w.h, orderId);
  assert.ok(
    w.inbox.messages().some((m) => m.subject === `Refund for order ${reference}` && /400\.00 AMD/.test(m.text)),
  );
  const receipts = w.fiscal.sandbox.receipts().filter((r) => r.order_reference === reference);
  assert.deepEqual(
    receipts.map((r) => [r.kind, r.total]),
    [
      ['sale', 100000],
      ['refund', 40000],
    ],
  );
  assert.ok(
    hooksFor(orderId).some(
      (r) =>
        r.type === 'refund.succeeded' &&
        (r.body as { data: { refund: { amount: number } } }).data.refund.amount === 40000,
    ),
  );

  const rest = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds`,
    { amount: 60000, reason: 'customer returned the rest' },
    admin(),
  );
  await w.h.api('POST', `/v1/orders/${orderId}/refunds/${rest.body.id}/confirm`, { note: 'cash' }, admin());
  o = await order(orderId);
  assert.equal(o.payment_status, 'refunded');
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 1, reason: 'x' }, admin())).status,
    409,
  );
});

test('concurrent refunds never together exceed what was paid', async () => {
  const { orderId } = await paidOrder(w.h, { amount: 100000 });
  const tries = await Promise.all(
    Array.from({ length: 6 }, () =>
      w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 30000, reason: 'race' }, admin()),
    ),
  );
  assert.deepEqual(tries.map((t) => t.status).sort(), [201, 201, 201, 409, 409, 409]);
  assert.equal(
    (await order(orderId)).refunds.reduce((s: number, r: { amount: number }) => s + r.amount, 0),
    90000,
  );
});

test('refunds are admin only, validated, and refused for an unpaid order', async () => {
  const { orderId } = await paidOrder(w.h);
  assert.equal((await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 1, reason: 'x' })).status, 403);
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 0, reason: 'x' }, admin())).status,
    400,
  );
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: '10', reason: 'x' }, admin())).status,
    400,
  );
  const line = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds`,
    { amount: 10, reason: 'x', lines: [{ sku: 'NOPE', quantity: 1 }] },
    admin(),
  );
  assert.equal(line.status, 422);
  const fresh = await w.h.api('POST', '/v1/orders', { reference: `U-${Date.now()}`, currency: 'AMD', amount: 100 });
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${fresh.body.id}/refunds`, { amount: 10, reason: 'x' }, admin())).body.code,
    'order_not_paid',
  );
});

test('review rules hold a flagged payment with a task; approve lets it be fulfilled', async () => {
  const rules = {
    amount_above: { AMD: 500000 },
    max_orders_per_email: null,
    max_orders_per_ip: null,
    blocked_emails: [],
    blocked_domains: ['fraud.test'],
  };
  assert.equal((await w.h.api('PUT', '/v1/settings/review', rules, admin())).status, 200);
  try {
    const { orderId, reference } = await paidOrder(w.h, { amount: 600000 });
    let o = await order(orderId);
    assert.equal(o.status, 'on_hold');
    assert.equal(o.review_status, 'pending');
    const tasks = await w.h.store.storage.read.listTasks({ orderId, kind: 'review' });
    assert.match(tasks[0]!.reason, /above the review threshold of 5000\.00/);
    await settleOutbox(w.h, orderId);
    assert.ok(
      w.inbox.messages().some((m) => m.subject === `Order ${reference} is on hold`),
      'the order department hears of the queued order',
    );
    const approved = await w.h.api(
      'POST',
      `/v1/orders/${orderId}/review`,
      { decision: 'approve', note: 'called the customer' },
      admin(),
    );
    assert.equal(approved.status, 200);
    o = await order(orderId);
    assert.deepEqual([o.status, o.review_status], ['processing', 'approved']);
    assert.equal((await w.h.store.storage.read.listTasks({ orderId, kind: 'review', status: 'open' })).length, 0);
    assert.equal(
      (await w.h.api('POST', `/v1/orders/${orderId}/review`, { decision: 'approve', note: 'again' })).status,
      403,
      'a store key may not review',
    );

    const blocked = await paidOrder(w.h, { amount: 1000, email: 'x@mail.fraud.test' });
    assert.equal((await order(blocked.orderId)).status, 'on_hold');
  } finally {
    await w.h.api(
      'PUT',
      '/v1/settings/review',
      {
        amount_above: {},
        max_orders_per_email: null,
        max_orders_per_ip: null,
        blocked_emails: [],
        blocked_domains: [],
      },
      admin(),
    );
  }
});

test('a rejected review refunds the whole payment and cancels the order', async () => {
  await w.h.api(
    'PUT',
    '/v1/settings/review',
    {
      amount_above: {},
      max_orders_per_email: { count: 1, window_hours: 24 },
      max_orders_per_ip: null,
      blocked_emails: [],
      blocked_domains: [],
    },
    admin(),
  );
  try {
    const email = `repeat-${Date.now()}@example.com`;
    const first = await paidOrder(w.h, { email });
    assert.equal((await order(first.orderId)).status, 'processing');
    const second = await paidOrder(w.h, { email });
    assert.equal(
      (await order(second.orderId)).status,
      'on_hold',
      'the second order from one e-mail in a day is flagged',
    );
    const rejected = await w.h.api(
      'POST',
      `/v1/orders/${second.orderId}/review`,
      { decision: 'reject', note: 'stolen card' },
      admin(),
    );
    assert.equal(rejected.status, 200);
    const o = await order(second.orderId);
    assert.deepEqual([o.status, o.review_status], ['canceled', 'rejected']);
    assert.deepEqual(
      o.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status]),
      [[150000, 'manual']],
    );
    assert.ok((await timeline(second.orderId)).includes('review.rejected'));
    assert.equal(
      (await w.h.api('POST', `/v1/orders/${second.orderId}/review`, { decision: 'approve', note: 'oops' }, admin()))
        .status,
      409,
    );
  } finally {
    await w.h.api(
      'PUT',
      '/v1/settings/review',
      {
        amount_above: {},
        max_orders_per_email: null,
        max_orders_per_ip: null,
        blocked_emails: [],
        blocked_domains: [],
      },
      admin(),
    );
  }
});

test('chargebacks are their own records: opened, then won or lost, with a task and webhooks', async () => {
  const { orderId } = await paidOrder(w.h, { amount: 100000 });
  const cb = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/chargebacks`,
    { amount: 100000, reason_code: '10.4', provider_ref: 'D-1' },
    admin(),
  );
  assert.equal(cb.status, 201, JSON.stringify(cb.body));
  assert.equal(cb.body.status, 'opened');
  let o = await order(orderId);
  assert.equal(o.payment_status, 'charged_back');
  assert.deepEqual(o.refunds, [], 'never mixed with refunds');
  assert.equal(
    (
      await w.h.api(
        'POST',
        `/v1/orders/${orderId}/chargebacks`,
        { amount: 100000, reason_code: '10.4', provider_ref: 'D-1' },
        admin(),
      )
    ).status,
    409,
  );
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/refunds`, { amount: 1, reason: 'x' }, admin())).status,
    409,
    'disputed money is not refundable',
  );
  assert.equal((await w.h.store.storage.read.listTasks({ orderId, kind: 'chargeback' })).length, 1);
  const won = await w.h.api(
    'POST',
    `/v1/orders/${orderId}/chargebacks/${cb.body.id}`,
    { status: 'won', note: 'evidence accepted' },
    admin(),
  );
  assert.equal(won.body.status, 'won');
  o = await order(orderId);
  assert.equal(o.payment_status, 'paid');
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/chargebacks/${cb.body.id}`, { status: 'lost' }, admin())).status,
    409,
  );
  await settleOutbox(w.h, orderId);
  const types = hooksFor(orderId).map((r) => r.type);
  assert.ok(types.includes('chargeback.opened') && types.includes('chargeback.won'));
});
