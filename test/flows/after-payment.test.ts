import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { waitFor } from '../support/async.js';
import { allMails, DEPARTMENT, paidOrder, settleOutbox, startWorld, type World } from '../support/after-payment.js';
import { drainOutbox } from '../../src/worker/outbox-worker.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});
beforeEach(() => {
  w.receiver.setSwitches({ failNext: 0, holdMs: 0 });
  w.inbox.setSwitches({ rejectNext: 0, tempFailNext: 0, holdMs: 0 });
  w.fiscal.sandbox.setSwitches({});
});

const admin = () => ({ key: w.h.adminKey });
const order = async (id: string) => (await w.h.api('GET', `/v1/orders/${id}`)).body;
const hooksFor = (orderId: string) =>
  w.receiver.received().filter((r) => (r.body as { data?: { order?: { id?: string } } }).data?.order?.id === orderId);
const mailsAbout = (reference: string) => w.inbox.messages().filter((m) => m.subject.includes(reference));

test('a payment sends each mail, each signed webhook and one sale receipt, exactly once', async () => {
  const { orderId, reference } = await paidOrder(w.h, { lines: true });
  await settleOutbox(w.h, orderId);

  const mails = mailsAbout(reference);
  assert.deepEqual(
    mails.map((m) => [m.to.join(), m.subject]).sort(),
    [
      [DEPARTMENT, `New order ${reference} awaiting payment`],
      [DEPARTMENT, `Order ${reference} is paid and processed`],
      ['buyer@example.com', `Payment received for order ${reference}`],
    ].sort(),
  );
  assert.ok(
    mails.every((m) => /^<msg_[a-z2-7]+@settle>$/.test(m.messageId)),
    'the outbox id is the Message-ID',
  );
  assert.match(mails.find((m) => m.to.includes('buyer@example.com'))!.text, /1500\.00 AMD/);

  const hooks = hooksFor(orderId);
  assert.deepEqual(
    hooks.map((r) => r.type).sort(),
    ['order.created', 'order.status_changed', 'payment.succeeded', 'receipt.issued', 'review.approved'].sort(),
  );
  assert.ok(
    hooks.every((r) => r.verified),
    'the official Standard Webhooks verifier accepts every signature',
  );
  assert.equal(new Set(hooks.map((r) => r.id)).size, hooks.length, 'each has its own webhook-id');
  const statusChanged = hooks.find((r) => r.type === 'order.status_changed')!.body as {
    data: { order: { store_status: string; status: string }; from: string; to: string };
  };
  assert.deepEqual(
    [statusChanged.data.from, statusChanged.data.to, statusChanged.data.order.store_status],
    ['pending_payment', 'processing', '2'],
    'OpenCart code 2, Processing',
  );
  // The receiver's own check, once more by hand: the body and headers as they came.
  const one = hooks[0]!;
  assert.doesNotThrow(() => new Webhook(w.secret).verify(JSON.stringify(one.body), one.headers));

  const receipts = w.fiscal.sandbox.receipts().filter((r) => r.order_reference === reference);
  assert.equal(receipts.length, 1);
  assert.equal(receipts[0]!.kind, 'sale');
  assert.deepEqual(receipts[0]!.items, [{ name: 'Mug', quantity: 2, amount: 150000 }]);

  const o = await order(orderId);
  assert.equal(o.status, 'processing');
  assert.equal(o.payment_status, 'paid');
  assert.equal(o.review_status, 'approved');
  assert.equal(o.fiscal_status, 'issued');
  assert.equal(o.receipts[0].fiscal_number, receipts[0]!.fiscal_number);
  assert.deepEqual(
    o.sync.map((s: { endpoint_id: string; status: string }) => [s.endpoint_id, s.status]),
    [[w.endpointId, 'synced']],
  );

  // Nothing is sent twice: another pass finds nothing due.
  await drainOutbox(w.h.deps);
  assert.equal(hooksFor(orderId).length, hooks.length);
  assert.equal(mailsAbout(reference).length, 3);
  const delivered = await w.h.api('GET', `/v1/outbox?order_id=${orderId}&status=delivered`, undefined, admin());
  assert.equal(delivered.body.data.length, hooks.length + 3 + 1);
});

test('a failing endpoint is retried with back-off, shows why it is stuck, and recovers', async () => {
  w.receiver.setSwitches({ failNext: 3 });
  const { orderId } = await paidOrder(w.h);
  await drainOutbox(w.h.deps);
  const stuck = (
    await w.h.api('GET', `/v1/outbox?order_id=${orderId}&status=pending&topic=webhook`, undefined, admin())
  ).body.data;
  assert.ok(stuck.length >= 1);
  const first = stuck.find((m: { event_type: string }) => m.event_type === 'order.created');
  assert.ok(first.attempts >= 1 && first.attempts <= 3);
  assert.match(first.last_error, /HTTP 500|500/);
  assert.ok(Date.parse(first.next_attempt_at) > Date.now() - 50, 'the next try waits');
  assert.equal((await order(orderId)).sync[0].status, 'failing');
  await settleOutbox(w.h, orderId);
  const created = w.receiver.received().filter((r) => r.type === 'order.created' && hooksFor(orderId).includes(r));
  assert.equal(created.length, 4, 'three refusals, then accepted');
  assert.equal(new Set(created.map((r) => r.id)).size, 1, 'every try carries the same webhook-id');
  const gaps = created.slice(1).map((r, i) => r.at - created[i]!.at);
  assert.ok(gaps[2]! > gaps[0]!, `the waits grow: ${gaps.join(', ')} ms`);
  const o = await order(orderId);
  assert.equal(o.sync[0].status, 'synced');
  const timeline = (await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.map(
    (e: { kind: string }) => e.kind,
  );
  assert.ok(timeline.includes('sync.retrying') && timeline.includes('sync.delivered'));
});

test('an endpoint that never recovers is given up with a task; the message can be put back', async () => {
  w.receiver.setSwitches({ failNext: 1000 });
  const { orderId } = await paidOrder(w.h);
  await waitFor(
    'the first webhook is given up',
    async () => {
      await drainOutbox(w.h.deps);
      return (await w.h.store.storage.read.listOutbox({ orderId, status: 'failed', limit: 1 })).length > 0;
    },
    15_000,
    50,
  );
  const failed = (await w.h.api('GET', `/v1/outbox?order_id=${orderId}&status=failed`, undefined, admin())).body
    .data[0];
  assert.equal(failed.attempts, 5);
  assert.equal((await order(orderId)).sync[0].status, 'failed');
  const tasks = await w.h.store.storage.read.listTasks({ orderId, kind: 'message_failed' });
  assert.equal(tasks.length, 1);
  // One more refusal after it is put back: its tries start afresh, so it is retried, not given up.
  w.receiver.setSwitches({ failNext: 1 });
  const retried = await w.h.api('POST', `/v1/outbox/${failed.id}/retry`, undefined, admin());
  assert.equal(retried.status, 200);
  assert.deepEqual([retried.body.status, retried.body.attempts], ['pending', 0]);
  assert.equal((await w.h.api('POST', `/v1/outbox/${failed.id}/retry`, undefined, admin())).status, 409);
  await settleOutbox(w.h, orderId);
  assert.equal((await order(orderId)).sync[0].status, 'synced');
});

test('a receipt the fiscal service refuses leaves the order paid, with the error and a task', async () => {
  w.fiscal.sandbox.setSwitches({ fail: 'reject' });
  const { orderId } = await paidOrder(w.h);
  await settleOutbox(w.h, orderId);
  const o = await order(orderId);
  assert.equal(o.payment_status, 'paid');
  assert.equal(o.status, 'processing');
  assert.equal(o.fiscal_status, 'failed');
  assert.equal(o.receipts[0].status, 'failed');
  assert.match(o.receipts[0].error, /tax registration/);
  const tasks = await w.h.store.storage.read.listTasks({ orderId, kind: 'receipt_failed' });
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0]!.owner, 'accounting');
  assert.ok(hooksFor(orderId).some((r) => r.type === 'receipt.failed'));
});

test('an unavailable fiscal service is retried until it issues the receipt', async () => {
  w.fiscal.sandbox.setSwitches({ fail: 'unavailable', failTimes: 2 });
  const { orderId } = await paidOrder(w.h);
  assert.equal((await order(orderId)).fiscal_status, 'pending');
  await settleOutbox(w.h, orderId);
  assert.equal((await order(orderId)).fiscal_status, 'issued');
});

test('mail switches and the order department address decide what is sent', async () => {
  const put = await w.h.api(
    'PUT',
    '/v1/settings/notifications',
    { from: 'Shop <shop@shop.test>', order_department_email: null, send: { ...allMails(true), customer_paid: false } },
    { key: w.h.adminKey },
  );
  assert.equal(put.status, 200);
  assert.equal((await w.h.api('GET', '/v1/settings/notifications', undefined, admin())).body.send.customer_paid, false);
  try {
    const { orderId, reference } = await paidOrder(w.h);
    await settleOutbox(w.h, orderId);
    assert.deepEqual(mailsAbout(reference), []);
  } finally {
    await w.h.api(
      'PUT',
      '/v1/settings/notifications',
      { from: 'Shop <shop@shop.test>', order_department_email: DEPARTMENT, send: allMails(true) },
      admin(),
    );
  }
  const bad = await w.h.api(
    'PUT',
    '/v1/settings/notifications',
    { from: 'x', order_department_email: null, send: allMails(true) },
    admin(),
  );
  assert.equal(bad.status, 400);
  assert.equal((await w.h.api('GET', '/v1/settings/notifications')).status, 403, 'a store key may not read them');
});
