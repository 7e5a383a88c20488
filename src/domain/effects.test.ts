import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectsOf } from './effects.js';
import { deriveSyncStates, retryDelayMs, type OutboxMessage } from './outbox.js';
import { resolveStoreStatusMap, storeStatusOf } from './store-status.js';

test('timeline events set off webhooks, mails and receipts', () => {
  assert.deepEqual(effectsOf({ kind: 'order.created' }), {
    webhook: 'order.created',
    mails: ['department_new_order'],
    receipt: null,
  });
  assert.deepEqual(effectsOf({ kind: 'payment.succeeded' }), {
    webhook: 'payment.succeeded',
    mails: ['customer_paid'],
    receipt: 'sale',
  });
  assert.deepEqual(effectsOf({ kind: 'refund.succeeded' }), {
    webhook: 'refund.succeeded',
    mails: ['customer_refunded'],
    receipt: 'refund',
  });
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'on_hold' } }).mails, ['department_queued']);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'processing' } }).mails, [
    'department_processed',
  ]);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'payment_failed' } }).mails, [
    'department_failed',
  ]);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'canceled' } }).mails, []);
  assert.deepEqual(effectsOf({ kind: 'task.opened' }), { webhook: null, mails: [], receipt: null });
  assert.deepEqual(
    effectsOf({ kind: 'sync.delivered' }),
    { webhook: null, mails: [], receipt: null },
    'a delivery sets off nothing more',
  );
});

test('store status codes come from the preset, overrides and the payment status', () => {
  const oc = resolveStoreStatusMap('opencart');
  assert.equal(storeStatusOf(oc, { status: 'processing', paymentStatus: 'paid' }), '2');
  assert.equal(storeStatusOf(oc, { status: 'processing', paymentStatus: 'refunded' }), '11');
  assert.equal(
    storeStatusOf(oc, { status: 'processing', paymentStatus: 'partially_refunded' }),
    '2',
    'no code for it: the order status',
  );
  assert.equal(storeStatusOf(resolveStoreStatusMap('xcart'), { status: 'on_hold', paymentStatus: 'paid' }), 'Q');
  assert.equal(
    storeStatusOf(resolveStoreStatusMap('opencart', { processing: '15' }), {
      status: 'processing',
      paymentStatus: 'paid',
    }),
    '15',
  );
  assert.equal(storeStatusOf(resolveStoreStatusMap(null), { status: 'processing', paymentStatus: 'paid' }), null);
});

test("an endpoint's sync track is derived from its messages for the order", () => {
  const m = (target: string, orderSeq: number, status: OutboxMessage['status'], lastError: string | null = null) =>
    ({
      id: `m${orderSeq}`,
      topic: 'webhook',
      eventType: `e${orderSeq}`,
      orderId: 'o',
      orderSeq,
      target,
      payload: {},
      status,
      attempts: 1,
      nextAttemptAt: '',
      lastError,
      createdAt: `t${orderSeq}`,
      deliveredAt: null,
    }) as OutboxMessage;
  const states = deriveSyncStates([
    m('a', 1, 'delivered'),
    m('a', 2, 'delivered'),
    m('b', 1, 'delivered'),
    m('b', 2, 'pending'),
    m('c', 1, 'failed', 'HTTP 500'),
    m('c', 2, 'delivered'),
    m('d', 1, 'pending', 'HTTP 503'),
    m('d', 2, 'pending'),
  ]);
  assert.deepEqual(
    states.map((s) => [s.endpointId, s.status, s.lastEventType, s.lastError]),
    [
      ['a', 'synced', 'e2', null],
      ['b', 'pending', 'e2', null],
      ['c', 'failed', 'e2', 'HTTP 500'],
      ['d', 'failing', 'e2', 'HTTP 503'],
    ],
  );
});

test('retries back off exponentially up to the cap, spread by ±20%', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 10 };
  assert.equal(retryDelayMs(1, policy, 0.5), 1000);
  assert.equal(retryDelayMs(4, policy, 0.5), 8000);
  assert.equal(retryDelayMs(20, policy, 0.5), 60_000);
  assert.equal(retryDelayMs(1, policy, 0), 800);
  assert.ok(retryDelayMs(1, policy, 0.999) <= 1200);
});
