import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptStatus } from './attempt-status.js';
import type { RefundStatus } from './refund.js';
import { normalizeReference, orderAmount } from './order.js';
import { derivePaymentStatus } from './payment-status.js';
import { ORDER_STATUSES, ORDER_TRANSITIONS } from './order-status.js';

test('the amount is computed from lines and shipping; a given amount must equal it', () => {
  const lines = [
    { sku: 'a', name: 'A', quantity: 2, unit_amount: 1000 },
    { sku: 'b', name: 'B', quantity: 1, unit_amount: 550 },
  ];
  assert.deepEqual(orderAmount({ reference: 'x', currency: 'USD', lines, shipping_amount: 300 }), {
    ok: true,
    value: 2850,
  });
  assert.deepEqual(orderAmount({ reference: 'x', currency: 'USD', lines, amount: 2550 }), { ok: true, value: 2550 });
  const bad = orderAmount({ reference: 'x', currency: 'USD', lines, amount: 2000 });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'amount_mismatch');
  assert.equal(orderAmount({ reference: 'x', currency: 'USD', amount: 700 }).ok, true);
  const none = orderAmount({ reference: 'x', currency: 'USD' });
  assert.equal(!none.ok && none.error.code, 'amount_required');
  const zero = orderAmount({
    reference: 'x',
    currency: 'USD',
    lines: [{ sku: 'a', name: 'A', quantity: 1, unit_amount: 0 }],
  });
  assert.equal(!zero.ok && zero.error.code, 'amount_not_positive');
  const huge = orderAmount({
    reference: 'x',
    currency: 'USD',
    lines: [{ sku: 'a', name: 'A', quantity: 1000, unit_amount: Number.MAX_SAFE_INTEGER }],
  });
  assert.equal(!huge.ok && huge.error.code, 'amount_out_of_range');
});

test('references compare without regard to case', () => {
  assert.equal(normalizeReference(' FD-1240 '), 'fd-1240');
});

test('payment status is derived from attempts', () => {
  const a = (status: AttemptStatus, amount = 1000) => ({ status, amount });
  assert.equal(derivePaymentStatus([]), 'unpaid');
  assert.equal(derivePaymentStatus([a('failed')]), 'unpaid');
  assert.equal(derivePaymentStatus([a('failed'), a('created')]), 'pending');
  assert.equal(derivePaymentStatus([a('pending'), a('succeeded')]), 'paid');
});

test('payment status counts succeeded refunds and undecided or lost chargebacks', () => {
  const paid = [{ status: 'succeeded' as const, amount: 1000 }];
  const refund = (status: RefundStatus, amount: number) => ({ status, amount, surplusAmount: 0 });
  assert.equal(
    derivePaymentStatus(paid, [refund('requested', 1000), refund('manual', 1000), refund('failed', 1000)]),
    'paid',
  );
  assert.equal(derivePaymentStatus(paid, [refund('succeeded', 400)]), 'partially_refunded');
  assert.equal(derivePaymentStatus(paid, [refund('succeeded', 400), refund('succeeded', 600)]), 'refunded');
  assert.equal(derivePaymentStatus(paid, [], [{ status: 'opened' }]), 'charged_back');
  assert.equal(derivePaymentStatus(paid, [], [{ status: 'lost' }]), 'charged_back');
  assert.equal(derivePaymentStatus(paid, [refund('succeeded', 400)], [{ status: 'won' }]), 'partially_refunded');
});

test('every order status is reachable from pending_payment', () => {
  const seen = new Set(['pending_payment']);
  const queue = ['pending_payment'] as (keyof typeof ORDER_TRANSITIONS)[];
  while (queue.length) {
    const s = queue.shift()!;
    for (const next of ORDER_TRANSITIONS[s]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  assert.deepEqual([...seen].sort(), [...ORDER_STATUSES].sort());
});
