import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DEFAULT_JANITOR, runJanitor } from '../../src/app/janitor.js';
import { newReference, startHarness, TEST_PRIVATE_KEY, TEST_SHOP_ID, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness({ httpTimeoutMs: 1000 });
});
after(async () => {
  await h.close();
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sb = () => h.sandbox.sandbox;
const janitorNow = { ...DEFAULT_JANITOR, checkAfterMs: 0, lifetimeMs: 3_600_000, settleAfterMs: 0, batch: 500 };

/** An order with one attempt that the customer has opened at the acquirer ("opened"). */
async function openedPayment(amount = 150000) {
  const reference = newReference('OP');
  const order = await h.api('POST', '/v1/orders', { reference, currency: 'AMD', amount });
  assert.equal(order.status, 201);
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201);
  assert.equal((await fetch(payment.body.next_step.url)).status, 200);
  return { order: order.body, payment: payment.body, reference: payment.body.provider_ref as string };
}

const getOrder = async (id: string) => (await h.api('GET', `/v1/orders/${id}`)).body;
const tasksOf = (orderId: string) => h.store.storage.read.listTasks({ orderId });
const signed = (ref: string, status: string, extra: Record<string, string> = {}) =>
  fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: ref, status, hash: md5(`${TEST_PRIVATE_KEY};${ref};${status}`), ...extra }),
  });

test('status check: asks the acquirer, applies the answer as verified by status_check, with the actor on the timeline', async () => {
  const { order, payment, reference } = await openedPayment();
  sb().setSwitches(reference, { drop: true });
  await sb().pay(TEST_SHOP_ID, reference);
  assert.equal((await getOrder(order.id)).payment_status, 'pending', 'the callback was dropped');
  const checked = await h.api('POST', `/v1/orders/${order.id}/payments/${payment.id}/check`);
  assert.equal(checked.status, 200);
  assert.equal(checked.body.status, 'succeeded');
  assert.equal(checked.body.verified_by, 'status_check');
  const o = await getOrder(order.id);
  assert.equal(o.status, 'processing');
  const timeline = (await h.api('GET', `/v1/orders/${order.id}/timeline`)).body.data;
  const paid = timeline.find((e: { kind: string }) => e.kind === 'payment.succeeded');
  assert.equal(paid.actor, 'store');
  assert.match(paid.summary, /status check/);
  const again = await h.api('POST', `/v1/orders/${order.id}/payments/${payment.id}/check`, undefined, {
    key: h.adminKey,
  });
  assert.equal(again.status, 200);
  assert.equal((await h.api('GET', `/v1/orders/${order.id}/timeline`)).body.data.at(-1).kind, 'payment.checked');
  const wrongOrder = await h.api('POST', `/v1/orders/ord_other/payments/${payment.id}/check`);
  assert.equal(wrongOrder.status, 404);
});

test('status check: an acquirer that times out is a 503 with a clear code and changes nothing', async () => {
  const { order, payment, reference } = await openedPayment();
  sb().setSwitches(reference, { timeoutMs: 1500 });
  const before = await getOrder(order.id);
  const r = await h.api('POST', `/v1/orders/${order.id}/payments/${payment.id}/check`);
  assert.equal(r.status, 503);
  assert.equal(r.body.code, 'provider_unreachable');
  const after = await getOrder(order.id);
  assert.deepEqual(after, before);
  sb().setSwitches(reference, {});
});

test('cancel: the acquirer cancels each open payment, then the order is canceled', async () => {
  const { order, reference } = await openedPayment();
  const r = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'customer called' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'canceled');
  assert.equal(r.body.payments[0].status, 'canceled');
  assert.equal(sb().getOrder(TEST_SHOP_ID, reference)?.status, 'canceled');
  const kinds = (await h.api('GET', `/v1/orders/${order.id}/timeline`)).body.data.map((e: { kind: string }) => e.kind);
  assert.ok(kinds.includes('order.cancel_requested'));
  assert.equal(kinds.at(-1), 'order.status_changed');
  const twice = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'again' });
  assert.equal(twice.status, 200);
  const noPay = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(noPay.status, 409);
  // An order no one started paying is canceled without asking the acquirer.
  const fresh = await h.api('POST', '/v1/orders', { reference: newReference(), currency: 'AMD', amount: 100 });
  const c = await h.api('POST', `/v1/orders/${fresh.body.id}/cancel`, { reason: 'test' });
  assert.equal(c.body.status, 'canceled');
});

test('cancel: a paid order is 409 (it needs a refund)', async () => {
  const { order, reference } = await openedPayment();
  await sb().pay(TEST_SHOP_ID, reference);
  await sb().idle();
  const r = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'too late' });
  assert.equal(r.status, 409);
  assert.equal(r.body.code, 'order_paid');
});

test('cancel: an acquirer error leaves the order as it was, with one open task', async () => {
  const { order, reference } = await openedPayment();
  sb().setSwitches(reference, { cancelError: 'error#1234' });
  const r = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'store canceled' });
  assert.equal(r.status, 502);
  assert.equal(r.body.code, 'provider_error');
  assert.match(r.body.message, /was not canceled/);
  const o = await getOrder(order.id);
  assert.equal(o.status, 'pending_payment');
  assert.equal(o.payments[0].status, 'created');
  const tasks = await tasksOf(order.id);
  assert.deepEqual(
    tasks.map((t) => t.kind),
    ['cancel_failed'],
  );
  assert.match(tasks[0]!.reason, /error#1234/);
  const ops = await h.store.storage.read.listOperations({ orderId: order.id, limit: 10 });
  assert.deepEqual(
    ops.map((op) => op.status),
    ['failed'],
  );
});

test('cancel: no answer leaves the intent open; the janitor settles it later', async () => {
  const { order, reference } = await openedPayment();
  sb().setSwitches(reference, { timeoutMs: 1500 });
  const r = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'store canceled' });
  assert.equal(r.status, 503);
  assert.equal((await getOrder(order.id)).status, 'pending_payment');
  assert.deepEqual(
    (await tasksOf(order.id)).map((t) => t.kind),
    ['cancel_failed'],
  );
  let ops = await h.store.storage.read.listOperations({ orderId: order.id, limit: 10 });
  assert.deepEqual(
    ops.map((op) => op.status),
    ['requested'],
  );
  const busy = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'again' });
  assert.equal(busy.body.code, 'cancel_in_progress');

  sb().setSwitches(reference, {});
  const report = await runJanitor(h.deps, janitorNow);
  assert.ok(report && report.settled >= 1);
  ops = await h.store.storage.read.listOperations({ orderId: order.id, limit: 10 });
  assert.deepEqual(
    ops.map((op) => op.status),
    ['succeeded'],
  );
  const o = await getOrder(order.id);
  assert.equal(o.status, 'canceled');
  assert.equal(o.payments[0].status, 'canceled');
  assert.equal((await tasksOf(order.id)).length, 1, 'no second task');
});

test('janitor: dropped callbacks are recovered by its status check', async () => {
  const made = await Promise.all([openedPayment(), openedPayment(), openedPayment()]);
  for (const m of made) sb().setSwitches(m.reference, { drop: true });
  for (const m of made) await sb().pay(TEST_SHOP_ID, m.reference);
  for (const m of made) assert.equal((await getOrder(m.order.id)).payment_status, 'pending');
  const report = await runJanitor(h.deps, janitorNow);
  assert.ok(report && report.checked >= 3);
  for (const m of made) {
    const o = await getOrder(m.order.id);
    assert.equal(o.status, 'processing');
    assert.equal(o.payments[0].verified_by, 'status_check');
  }
});

test('janitor: an attempt past its lifetime that the acquirer does not report paid expires; a later payment opens one task', async () => {
  const { order, reference } = await openedPayment();
  await runJanitor(h.deps, { ...janitorNow, lifetimeMs: 0 });
  let o = await getOrder(order.id);
  assert.equal(o.payments[0].status, 'expired');
  assert.equal(o.status, 'payment_failed');
  await sb().setStatus(TEST_SHOP_ID, reference, 'executed', { notify: true });
  await sb().idle();
  o = await getOrder(order.id);
  assert.equal(o.payments[0].status, 'succeeded');
  assert.equal(o.status, 'on_hold');
  assert.deepEqual(
    (await tasksOf(order.id)).map((t) => t.kind),
    ['paid_after_expiry'],
  );
});

test('janitor: an unreachable acquirer never expires anything on a guess', async () => {
  const { order, reference } = await openedPayment();
  sb().setSwitches(reference, { timeoutMs: 1500 });
  const report = await runJanitor(h.deps, { ...janitorNow, lifetimeMs: 0 });
  assert.ok(report && report.unreachable >= 1);
  assert.equal((await getOrder(order.id)).payments[0].status, 'created');
  sb().setSwitches(reference, {});
});

test('a success after the order was canceled: applied, order on hold, exactly one task', async () => {
  const { order, reference } = await openedPayment();
  assert.equal((await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'x' })).body.status, 'canceled');
  await sb().setStatus(TEST_SHOP_ID, reference, 'executed', { notify: true });
  await sb().idle();
  await signed(reference, 'executed'); // the acquirer retries: still one task
  const o = await getOrder(order.id);
  assert.equal(o.status, 'on_hold');
  assert.equal(o.payment_status, 'paid');
  assert.deepEqual(
    (await tasksOf(order.id)).map((t) => t.kind),
    ['paid_after_cancel'],
  );
});

test('a double payment: both applied, exactly one task to refund one', async () => {
  const first = await openedPayment();
  // The acquirer refuses to cancel the first when the second starts, so the customer can pay both.
  sb().setSwitches(first.reference, { cancelError: 'error#1234' });
  const second = await h.api('POST', `/v1/orders/${first.order.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(second.status, 201);
  sb().setSwitches(first.reference, {});
  await fetch(second.body.next_step.url);
  await sb().pay(TEST_SHOP_ID, first.reference);
  await sb().setStatus(TEST_SHOP_ID, second.body.provider_ref, 'executed', { notify: true });
  await sb().idle();
  await signed(second.body.provider_ref, 'executed');
  const o = await getOrder(first.order.id);
  assert.deepEqual(
    o.payments.map((p: { status: string }) => p.status),
    ['succeeded', 'succeeded'],
  );
  assert.equal(o.status, 'processing');
  const tasks = await tasksOf(first.order.id);
  assert.deepEqual(
    tasks.map((t) => [t.kind, t.owner]),
    [['double_payment', 'accounting']],
  );
});

test('an amount that does not match puts the order on hold with exactly one task instead of paid', async () => {
  const { order, reference } = await openedPayment(150000);
  const r = await signed(reference, 'executed', { amount: '1000.00', currency: 'AMD' });
  assert.equal(r.status, 200);
  await signed(reference, 'executed', { amount: '1000.00', currency: 'AMD' });
  const o = await getOrder(order.id);
  assert.equal(o.status, 'on_hold');
  const tasks = await tasksOf(order.id);
  assert.deepEqual(
    tasks.map((t) => t.kind),
    ['amount_mismatch'],
  );
  assert.match(tasks[0]!.reason, /1000\.00 AMD.*1500\.00 AMD/);
  // The same amount, stated, is an ordinary payment.
  const ok = await openedPayment(150000);
  await signed(ok.reference, 'executed', { amount: '1500.00', currency: 'AMD' });
  assert.equal((await getOrder(ok.order.id)).status, 'processing');
});

test('tasks: listed by kind and owner, assigned, resolved once; the timeline links to them', async () => {
  const { order, reference } = await openedPayment();
  await signed(reference, 'executed', { amount: '1.00', currency: 'AMD' });
  const forbidden = await h.api('GET', '/v1/tasks');
  assert.equal(forbidden.status, 403);
  const list = await h.api('GET', '/v1/tasks?kind=amount_mismatch&status=open&owner=support', undefined, {
    key: h.adminKey,
  });
  const task = list.body.data.find((t: { order_id: string }) => t.order_id === order.id);
  assert.ok(task);
  const assigned = await h.api('POST', `/v1/tasks/${task.id}/assign`, { owner: 'anna' }, { key: h.adminKey });
  assert.equal(assigned.body.owner, 'anna');
  const mine = await h.api('GET', '/v1/tasks?owner=anna', undefined, { key: h.adminKey });
  assert.deepEqual(
    mine.body.data.map((t: { id: string }) => t.id),
    [task.id],
  );
  const resolved = await h.api(
    'POST',
    `/v1/tasks/${task.id}/resolve`,
    { note: 'customer paid the rest by bank transfer' },
    { key: h.adminKey },
  );
  assert.equal(resolved.body.status, 'resolved');
  const again = await h.api('POST', `/v1/tasks/${task.id}/resolve`, { note: 'x' }, { key: h.adminKey });
  assert.equal(again.status, 409);
  const missing = await h.api('POST', '/v1/tasks/task_nope/resolve', { note: 'x' }, { key: h.adminKey });
  assert.equal(missing.status, 404);
  const timeline = (await h.api('GET', `/v1/orders/${order.id}/timeline`)).body.data;
  const linked = timeline
    .filter((e: { task_id: string | null }) => e.task_id === task.id)
    .map((e: { kind: string }) => e.kind);
  assert.deepEqual(linked, ['task.opened', 'task.assigned', 'task.resolved']);
});

test('a verified callback for no known payment opens one task, however often it is retried', async () => {
  const ref = newReference('GHOST');
  for (let i = 0; i < 3; i++) assert.equal((await signed(ref, 'executed')).status, 404);
  const tasks = await h.store.storage.read.listTasks({ kind: 'callback_unmatched' });
  assert.equal(tasks.filter((t) => t.reason.includes(ref)).length, 1);
});

test('callback log: each callback as received with secrets redacted, its verification and outcome, linked to the payment', async () => {
  const { payment, reference } = await openedPayment();
  await signed(reference, 'executed');
  await signed(reference, 'executed');
  await signed(reference, 'opened');
  await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: reference, status: 'executed', hash: 'f'.repeat(32) }),
  });
  const log = await h.api('GET', `/v1/callbacks?payment_method_id=${h.paymentMethodId}&limit=500`, undefined, {
    key: h.adminKey,
  });
  const mine = log.body.data.filter(
    (c: { provider_ref: string | null; body: string }) => c.provider_ref === reference || c.body.includes(reference),
  );
  assert.deepEqual(mine.map((c: { outcome: string }) => c.outcome).reverse(), [
    'applied',
    'duplicate',
    'stale',
    'rejected',
  ]);
  assert.ok(
    mine
      .slice(1)
      .every(
        (c: { payment_id: string | null; outcome: string }) => c.outcome === 'rejected' || c.payment_id === payment.id,
      ),
  );
  assert.equal(mine.at(-1).verified, true);
  assert.equal(mine[0].verified, false);
  assert.match(mine[0].reason, /not signed/);
  const text = JSON.stringify(log.body);
  assert.equal(text.includes(TEST_PRIVATE_KEY), false);
  assert.equal(text.includes(md5(`${TEST_PRIVATE_KEY};${reference};executed`)), false);
  const stale = await h.api('GET', '/v1/callbacks?outcome=stale', undefined, { key: h.adminKey });
  assert.ok(stale.body.data.every((c: { outcome: string }) => c.outcome === 'stale'));
  assert.equal((await h.api('GET', '/v1/callbacks')).status, 403);
});

test('janitor: a status check answered with an HTTP error is no answer, so nothing is expired on a guess', async () => {
  const { order, reference } = await openedPayment();
  // Paid at the acquirer, the callback lost, and checkorder behind a failing gateway.
  sb().setSwitches(reference, { drop: true });
  await sb().pay(TEST_SHOP_ID, reference);
  sb().setSwitches(reference, { drop: true, apiHttpStatus: 502 });
  const report = await runJanitor(h.deps, { ...janitorNow, lifetimeMs: 0 });
  assert.ok((report?.unreachable ?? 0) >= 1);
  const during = await getOrder(order.id);
  assert.deepEqual(
    [during.payments[0].status, during.status],
    ['created', 'pending_payment'],
    'not expired while the acquirer gave no usable answer',
  );
  // Once the acquirer answers, the same sweep finds it paid.
  sb().setSwitches(reference, {});
  await runJanitor(h.deps, { ...janitorNow, lifetimeMs: 0 });
  const after = await getOrder(order.id);
  assert.deepEqual([after.payments[0].status, after.payment_status], ['succeeded', 'paid']);
});

test('cancel: an answer that does not cancel ("opened", or a status nobody documented) leaves the order as it is, with a task', async () => {
  // "opened" moves the payment on to pending; an undocumented status moves nothing.
  for (const [answer, payment] of [
    ['opened', 'pending'],
    ['on_review_somewhere', 'created'],
  ]) {
    const { order, reference } = await openedPayment();
    sb().setSwitches(reference, { cancelError: answer });
    const r = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'customer asked' });
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.code, 'provider_error');
    const o = await getOrder(order.id);
    assert.deepEqual([o.status, o.payments[0].status], ['pending_payment', payment], `after "${answer}"`);
    const ops = await h.store.storage.read.listOperations({ orderId: order.id, limit: 10 });
    assert.deepEqual(
      ops.map((op) => op.status),
      ['failed'],
    );
    assert.equal((await tasksOf(order.id)).filter((t) => t.kind === 'cancel_failed').length, 1);
    sb().setSwitches(reference, {});
  }
});

test('a new payment is refused while a cancel waits for the acquirer, so the cancel cannot be left behind it', async () => {
  const { order, reference } = await openedPayment();
  sb().setSwitches(reference, { timeoutMs: 1500 });
  const cancel = await h.api('POST', `/v1/orders/${order.id}/cancel`, { reason: 'customer asked' });
  assert.equal(cancel.status, 503);
  const again = await h.api('POST', `/v1/orders/${order.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(again.body.code, 'cancel_in_progress');
  sb().setSwitches(reference, {});
  await runJanitor(h.deps, janitorNow);
  const o = await getOrder(order.id);
  assert.deepEqual([o.status, o.payments.map((p: { status: string }) => p.status)], ['canceled', ['canceled']]);
});

test('starting a payment through a link keeps a partly refunded order partly refunded', async () => {
  const { order, reference } = await openedPayment(10000);
  await sb().pay(TEST_SHOP_ID, reference);
  await sb().idle();
  const refund = await h.api(
    'POST',
    `/v1/orders/${order.id}/refunds`,
    { amount: 2000, reason: 'returned item' },
    { key: h.adminKey },
  );
  assert.ok([201, 202].includes(refund.status), JSON.stringify(refund.body));
  const confirmed = await h.api(
    'POST',
    `/v1/orders/${order.id}/refunds/${refund.body.id}/confirm`,
    { note: 'paid by hand' },
    { key: h.adminKey },
  );
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal((await getOrder(order.id)).payment_status, 'partially_refunded');
  const adj = await h.api(
    'POST',
    `/v1/orders/${order.id}/adjustments`,
    { kind: 'fee_change', amount_delta: 500, reason: 'delivery fee' },
    { key: h.adminKey },
  );
  assert.equal(adj.status, 201, JSON.stringify(adj.body));
  const token = String(adj.body.payment_link.url).split('/pay/')[1];
  const pay = await fetch(`${h.url}/pay/${token}`, { method: 'POST', redirect: 'manual' });
  assert.equal(pay.status, 303);
  const o = await getOrder(order.id);
  assert.equal(o.payments.length, 2, 'the link opened a second payment');
  assert.equal(o.payment_status, 'partially_refunded');
});

test('janitor: attempts whose check never gets an answer do not hold back the others (least recently checked first)', async () => {
  const stuck = [await openedPayment(), await openedPayment()];
  for (const s of stuck) sb().setSwitches(s.reference, { apiHttpStatus: 502 });
  const later = await openedPayment();
  sb().setSwitches(later.reference, { drop: true });
  await sb().pay(TEST_SHOP_ID, later.reference);
  try {
    // Batches of two, and older open attempts (these two among them) that stay open or get no
    // usable answer: oldest-first would ask the same two every sweep and never reach `later`.
    const open = await h.deps.storage.read.listOpenAttempts({ createdBefore: new Date().toISOString(), limit: 1000 });
    let sweeps = 0;
    while ((await getOrder(later.order.id)).payment_status !== 'paid' && sweeps < open.length) {
      await runJanitor(h.deps, { ...janitorNow, batch: 2 });
      sweeps += 1;
    }
    assert.equal((await getOrder(later.order.id)).payment_status, 'paid');
    assert.ok(sweeps <= Math.ceil(open.length / 2), `${sweeps} sweeps for ${open.length} open attempts`);
  } finally {
    for (const s of [...stuck, later]) sb().setSwitches(s.reference, {});
  }
});
