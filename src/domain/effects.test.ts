import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectsOf } from './effects.js';
import { retryDelayMs } from './outbox.js';
import { resolveStoreStatusMap, storeStatusOf } from './store-status.js';

test('timeline events set off webhooks, mails and receipts', () => {
  assert.deepEqual(effectsOf({ kind: 'order.created' }), { webhook: 'order.created', mails: ['department_new_order'], receipt: null });
  assert.deepEqual(effectsOf({ kind: 'payment.succeeded' }), { webhook: 'payment.succeeded', mails: ['customer_paid'], receipt: 'sale' });
  assert.deepEqual(effectsOf({ kind: 'refund.succeeded' }), { webhook: 'refund.succeeded', mails: ['customer_refunded'], receipt: 'refund' });
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'on_hold' } }).mails, ['department_queued']);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'processing' } }).mails, ['department_processed']);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'payment_failed' } }).mails, ['department_failed']);
  assert.deepEqual(effectsOf({ kind: 'order.status_changed', data: { to: 'canceled' } }).mails, []);
  assert.deepEqual(effectsOf({ kind: 'task.opened' }), { webhook: null, mails: [], receipt: null });
  assert.deepEqual(effectsOf({ kind: 'sync.delivered' }), { webhook: null, mails: [], receipt: null }, 'a delivery sets off nothing more');
});

test('store status codes come from the preset, overrides and the payment status', () => {
  const oc = resolveStoreStatusMap('opencart');
  assert.equal(storeStatusOf(oc, { status: 'processing', paymentStatus: 'paid' }), '2');
  assert.equal(storeStatusOf(oc, { status: 'processing', paymentStatus: 'refunded' }), '11');
  assert.equal(storeStatusOf(oc, { status: 'processing', paymentStatus: 'partially_refunded' }), '2', 'no code for it: the order status');
  assert.equal(storeStatusOf(resolveStoreStatusMap('xcart'), { status: 'on_hold', paymentStatus: 'paid' }), 'Q');
  assert.equal(storeStatusOf(resolveStoreStatusMap('opencart', { processing: '15' }), { status: 'processing', paymentStatus: 'paid' }), '15');
  assert.equal(storeStatusOf(resolveStoreStatusMap(null), { status: 'processing', paymentStatus: 'paid' }), null);
});

test('retries back off exponentially up to the cap, spread by ±20%', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 10 };
  assert.equal(retryDelayMs(1, policy, 0.5), 1000);
  assert.equal(retryDelayMs(4, policy, 0.5), 8000);
  assert.equal(retryDelayMs(20, policy, 0.5), 60_000);
  assert.equal(retryDelayMs(1, policy, 0), 800);
  assert.ok(retryDelayMs(1, policy, 0.999) <= 1200);
});
