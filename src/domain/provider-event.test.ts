import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AttemptStatus } from './attempt-status.js';
import type { Order, PaymentAttempt } from './order.js';
import { decideProviderEvent, type ProviderEvent } from './provider-event.js';

const at = '2026-11-23T10:00:00.000Z';
const order = (over: Partial<Order> = {}): Order => ({
  id: 'ord_1',
  reference: 'fd-1240',
  currency: 'AMD',
  originalAmount: 150000,
  amount: 150000,
  shippingAmount: 0,
  lines: [],
  customer: {},
  returnUrl: null,
  locale: null,
  metadata: {},
  status: 'pending_payment',
  paymentStatus: 'pending',
  reviewStatus: 'none',
  fiscalStatus: 'not_required',
  deliveryStatus: 'not_started',
  contentHash: 'h',
  createdAt: at,
  updatedAt: at,
  ...over,
});
const attempt = (
  id: string,
  status: AttemptStatus = 'created',
  over: Partial<PaymentAttempt> = {},
): PaymentAttempt => ({
  id,
  providerPaymentId: null,
  orderId: 'ord_1',
  paymentMethodId: 'pm_1',
  connector: 'acquiring-v1',
  amount: 150000,
  currency: 'AMD',
  providerRef: id === 'pay_1' ? 'fd-1240' : `fd-1240-${id.slice(-1)}`,
  nextStep: null,
  status,
  verifiedBy: null,
  providerStatus: null,
  errorCode: null,
  paymentLinkId: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const ev = (status: AttemptStatus | null, over: Partial<ProviderEvent> = {}): ProviderEvent => ({
  providerRef: 'fd-1240',
  status,
  providerStatus: status ?? 'weird',
  ...over,
});
const decide = (o: Order, attempts: PaymentAttempt[], id: string, e: ProviderEvent) =>
  decideProviderEvent({ order: o, attempts, attemptId: id, event: e, verifiedBy: 'signature', actor: 'provider' });

test('a verified success marks the attempt succeeded and the order processing, with one paid event', () => {
  const d = decide(order(), [attempt('pay_1')], 'pay_1', ev('succeeded'));
  assert.equal(d.outcome, 'applied');
  assert.equal(d.attempt?.status, 'succeeded');
  assert.deepEqual(d.order, { status: 'processing', paymentStatus: 'paid', reviewStatus: 'approved' });
  assert.deepEqual(
    d.events.map((e) => e.kind),
    ['payment.succeeded', 'review.approved', 'order.status_changed'],
  );
  assert.equal(d.tasks.length, 0);
});

test("the provider's id, told only in the callback, is kept on the attempt unless it has one", () => {
  const told = decide(order(), [attempt('pay_1')], 'pay_1', ev('succeeded', { providerPaymentId: '87654321012345' }));
  assert.equal(told.attempt?.providerPaymentId, '87654321012345');
  const had = decide(
    order(),
    [attempt('pay_1', 'created', { providerPaymentId: 'md-1' })],
    'pay_1',
    ev('succeeded', { providerPaymentId: 'x' }),
  );
  assert.equal(had.attempt?.providerPaymentId, undefined);
});

test('a duplicate or a lower status changes nothing', () => {
  const o = order({ status: 'processing', paymentStatus: 'paid' });
  const dup = decide(o, [attempt('pay_1', 'succeeded')], 'pay_1', ev('succeeded'));
  assert.equal(dup.outcome, 'duplicate');
  assert.equal(dup.events.length + dup.tasks.length, 0);
  assert.equal(dup.attempt, undefined);
  const stale = decide(o, [attempt('pay_1', 'succeeded')], 'pay_1', ev('pending'));
  assert.equal(stale.outcome, 'stale');
  assert.equal(stale.attempt, undefined);
});

test('an undocumented provider status is recorded and moves nothing', () => {
  const d = decide(order(), [attempt('pay_1')], 'pay_1', ev(null, { providerStatus: 'refunded?' }));
  assert.equal(d.outcome, 'ignored');
  assert.equal(d.attempt, undefined);
  assert.match(d.reason, /refunded\?/);
});

test('a decline of the latest attempt marks the order payment_failed and keeps the error number', () => {
  const d = decide(
    order(),
    [attempt('pay_1', 'pending')],
    'pay_1',
    ev('failed', { providerStatus: 'error#5001', errorCode: '5001' }),
  );
  assert.equal(d.attempt?.errorCode, '5001');
  assert.deepEqual(d.order, { status: 'payment_failed', paymentStatus: 'unpaid' });
  assert.match(d.events[0]!.summary, /error 5001/);
});

test('a decline of an older attempt leaves a newer pending attempt alone', () => {
  const d = decide(order(), [attempt('pay_1', 'pending'), attempt('pay_2', 'created')], 'pay_1', ev('failed'));
  assert.equal(d.order?.status, undefined);
});

test('a success after the order was canceled is applied, holds the order and opens one task', () => {
  const d = decide(
    order({ status: 'canceled', paymentStatus: 'unpaid' }),
    [attempt('pay_1', 'canceled')],
    'pay_1',
    ev('succeeded'),
  );
  assert.equal(d.attempt?.status, 'succeeded');
  assert.equal(d.order?.status, 'on_hold');
  assert.deepEqual(
    d.tasks.map((t) => t.kind),
    ['paid_after_cancel'],
  );
});

test('a success after expiry holds the order with a task', () => {
  const d = decide(order(), [attempt('pay_1', 'expired')], 'pay_1', ev('succeeded'));
  assert.equal(d.order?.status, 'on_hold');
  assert.deepEqual(
    d.tasks.map((t) => t.kind),
    ['paid_after_expiry'],
  );
});

test('a success after a decline on the same attempt is an ordinary payment', () => {
  const d = decide(order({ status: 'payment_failed' }), [attempt('pay_1', 'failed')], 'pay_1', ev('succeeded'));
  assert.equal(d.order?.status, 'processing');
  assert.equal(d.tasks.length, 0);
});

test('a second successful attempt is a double payment task, the order stays as it is', () => {
  const o = order({ status: 'processing', paymentStatus: 'paid' });
  const d = decide(
    o,
    [attempt('pay_1', 'succeeded'), attempt('pay_2', 'pending')],
    'pay_2',
    ev('succeeded', { providerRef: 'fd-1240-2' }),
  );
  assert.equal(d.attempt?.status, 'succeeded');
  assert.equal(d.order, undefined);
  assert.deepEqual(
    d.tasks.map((t) => t.kind),
    ['double_payment'],
  );
});

test('a further payment for what the order still owes (a link after the amount rose) is no double payment', () => {
  const o = order({ status: 'processing', paymentStatus: 'paid', amount: 155000 });
  const extra = attempt('pay_2', 'pending', { amount: 5000, paymentLinkId: 'plk_1' });
  const d = decideProviderEvent({
    order: o,
    attempts: [attempt('pay_1', 'succeeded'), extra],
    attemptId: 'pay_2',
    event: ev('succeeded', { providerRef: 'fd-1240-2' }),
    verifiedBy: 'signature',
    actor: 'provider',
    link: { id: 'plk_1', state: 'active' },
  });
  assert.equal(d.attempt?.status, 'succeeded');
  assert.deepEqual(d.tasks, []);
  assert.equal(d.order, undefined, 'the order stays processing');
  // Paid beyond the amount: the surplus is a task.
  const over = decideProviderEvent({
    order: { ...o, amount: 152000 },
    attempts: [attempt('pay_1', 'succeeded'), extra],
    attemptId: 'pay_2',
    event: ev('succeeded', { providerRef: 'fd-1240-2' }),
    verifiedBy: 'signature',
    actor: 'provider',
  });
  assert.deepEqual(
    over.tasks.map((t) => t.kind),
    ['double_payment'],
  );
  assert.match(over.tasks[0]!.reason, /surplus of 30\.00 AMD/);
});

test('a payment through a revoked or expired link is applied, holds the order and opens a task', () => {
  for (const state of ['revoked', 'expired'] as const) {
    const d = decideProviderEvent({
      order: order(),
      attempts: [attempt('pay_1', 'pending', { paymentLinkId: 'plk_1' })],
      attemptId: 'pay_1',
      event: ev('succeeded'),
      verifiedBy: 'signature',
      actor: 'provider',
      link: { id: 'plk_1', state },
    });
    assert.equal(d.attempt?.status, 'succeeded', 'money moved: it is recorded');
    assert.equal(d.order?.status, 'on_hold');
    assert.deepEqual(
      d.tasks.map((t) => t.kind),
      ['paid_via_inactive_link'],
    );
    assert.match(d.tasks[0]!.reason, new RegExp(`after it was ${state}`));
  }
});

test('an amount or currency that does not match holds the order instead of marking it processing', () => {
  const a = decide(order(), [attempt('pay_1')], 'pay_1', ev('succeeded', { amount: 100000, currency: 'AMD' }));
  assert.equal(a.order?.status, 'on_hold');
  assert.deepEqual(
    a.tasks.map((t) => t.kind),
    ['amount_mismatch'],
  );
  assert.match(a.tasks[0]!.reason, /1000\.00 AMD.*1500\.00 AMD/);
  const c = decide(order(), [attempt('pay_1')], 'pay_1', ev('succeeded', { amount: 150000, currency: 'USD' }));
  assert.deepEqual(
    c.tasks.map((t) => t.kind),
    ['currency_mismatch'],
  );
});

test('the attempt status reached by a sequence of decisions does not depend on their order', () => {
  const statuses: AttemptStatus[] = ['pending', 'authorized', 'expired', 'failed', 'canceled', 'succeeded'];
  const run = (events: AttemptStatus[]) => {
    let a = attempt('pay_1');
    let o = order();
    for (const s of events) {
      const d = decide(o, [a], 'pay_1', ev(s));
      if (d.attempt) a = { ...a, status: d.attempt.status };
      if (d.order?.status) o = { ...o, status: d.order.status };
    }
    return a.status;
  };
  fc.assert(
    fc.property(
      fc
        .array(fc.constantFrom(...statuses), { maxLength: 12 })
        .chain((e) => fc.tuple(fc.constant(e), fc.shuffledSubarray(e, { minLength: e.length, maxLength: e.length }))),
      ([e, s]) => {
        assert.equal(run(s), run(e));
      },
    ),
  );
});

test('a payment the review rules flag holds the order with a review task; an approved one goes to processing', () => {
  const flagged = decideProviderEvent({
    order: order(),
    attempts: [attempt('pay_1')],
    attemptId: 'pay_1',
    event: ev('succeeded'),
    verifiedBy: 'signature',
    actor: 'provider',
    review: { verdict: 'flagged', reasons: ['The payment is above the review threshold.'] },
  });
  assert.deepEqual(flagged.order, { status: 'on_hold', paymentStatus: 'paid', reviewStatus: 'pending' });
  assert.deepEqual(
    flagged.tasks.map((t) => t.kind),
    ['review'],
  );
  assert.match(flagged.tasks[0]!.reason, /above the review threshold/);
  // A second verified payment of an order already reviewed does not review it again.
  const again = decide(
    order({ status: 'processing', paymentStatus: 'paid', reviewStatus: 'approved' }),
    [attempt('pay_1', 'succeeded'), attempt('pay_2')],
    'pay_2',
    ev('succeeded'),
  );
  assert.equal(again.order?.reviewStatus, undefined);
  assert.deepEqual(
    again.tasks.map((t) => t.kind),
    ['double_payment'],
  );
});
