import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Order, PaymentAttempt } from './order.js';
import { planRefund, refundableOf, surplusPartOf, type Refund } from './refund.js';
import type { Chargeback } from './chargeback.js';

const at = '2026-11-23T10:00:00.000Z';
const order = {
  id: 'ord_1',
  reference: 'R-1',
  currency: 'USD',
  lines: [{ sku: 'A', name: 'Mug', quantity: 2, unit_amount: 1000 }],
} as Order;
const paid = (id: string, amount: number, status: PaymentAttempt['status'] = 'succeeded') =>
  ({ id, amount, currency: 'USD', status, providerRef: id }) as PaymentAttempt;
const refund = (attemptId: string, amount: number, status: Refund['status'] = 'succeeded') =>
  ({ id: `rf_${amount}`, attemptId, amount, status, createdAt: at }) as Refund;
const chargeback = (attemptId: string, amount: number, status: Chargeback['status']) =>
  ({ attemptId, amount, status }) as Chargeback;

test('refundable is what was paid less refunds not failed and chargebacks not won', () => {
  const a = paid('p1', 2000);
  assert.equal(refundableOf(a, [], []), 2000);
  assert.equal(
    refundableOf(
      a,
      [refund('p1', 500), refund('p1', 300, 'requested'), refund('p1', 200, 'manual'), refund('p1', 900, 'failed')],
      [],
    ),
    1000,
  );
  assert.equal(refundableOf(a, [], [chargeback('p1', 2000, 'opened')]), 0);
  assert.equal(refundableOf(a, [], [chargeback('p1', 2000, 'won')]), 2000);
  assert.equal(refundableOf(paid('p2', 2000, 'failed'), [], []), 0);
});

test('of a refund, what the order holds beyond its amount goes back first as surplus; the rest is a refund of the order', () => {
  // The surplus goes back first: all of a refund within it, none of one beyond it.
  assert.equal(surplusPartOf(150000, -150000), 150000);
  assert.equal(surplusPartOf(50000, -150000), 50000);
  assert.equal(surplusPartOf(150000, -20000), 20000);
  assert.equal(surplusPartOf(5000, 0), 0);
  assert.equal(surplusPartOf(5000, 3000), 0, 'an order that owes holds no surplus');
});

test('a refund is refused above what is still refundable, and says how much is', () => {
  const r = planRefund(order, [paid('p1', 2000)], [refund('p1', 1500)], [], { amount: 600 });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'refund_exceeds_refundable');
    assert.deepEqual(r.error.details, { refundable: 500 });
  }
  assert.equal(planRefund(order, [paid('p1', 2000)], [refund('p1', 1500)], [], { amount: 500 }).ok, true);
  assert.equal(planRefund(order, [paid('p1', 2000, 'pending')], [], [], { amount: 1 }).ok, false);
  const line = planRefund(order, [paid('p1', 2000)], [], [], { amount: 1000, lines: [{ sku: 'A', quantity: 3 }] });
  assert.equal(!line.ok && line.error.code, 'refund_line_quantity');
  const split = planRefund(order, [paid('p1', 2000)], [], [], {
    amount: 1000,
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'A', quantity: 1 },
    ],
  });
  assert.equal(!split.ok && split.error.code, 'refund_line_quantity', 'one sku named twice counts as the sum');
});

test('without a payment_id the first paid payment that covers the refund is used', () => {
  const r = planRefund(order, [paid('p1', 500), paid('p2', 2000)], [], [], { amount: 1000 });
  assert.equal(r.ok && r.value.id, 'p2');
});

test('property: any sequence of planned refunds never exceeds what was paid', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 20 }), (amounts) => {
      const attempts = [paid('p1', 2000), paid('p2', 1000)];
      const done: Refund[] = [];
      for (const amount of amounts) {
        const r = planRefund(order, attempts, done, [], { amount });
        if (r.ok) done.push(refund(r.value.id, amount));
      }
      for (const a of attempts)
        assert.ok(done.filter((d) => d.attemptId === a.id).reduce((s, d) => s + d.amount, 0) <= a.amount);
    }),
  );
});
