import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, attempt, order } from '../../test/support/domain-samples.js';
import type { PaymentAttempt } from './order.js';
import { decidePaymentChange } from './payment-change.js';
import { outstandingOf } from './payment-link.js';
import { derivePaymentStatus } from './payment-status.js';
import { isSurplusRefund, surplusRefundId, type Refund } from './refund.js';
import { planSurplusRefund, type SurplusRefundInput } from './surplus-refund.js';

const paidOrder = order({ status: 'processing', paymentStatus: 'paid' });
const first = attempt({ id: 'pay_1', status: 'succeeded' });
const second = attempt({ id: 'pay_2', status: 'pending', providerRef: 'fd-1240-2' });
const effects = { endpoints: [], mail: null, fiscal: false };
const paid = { providerRef: 'fd-1240-2', status: 'succeeded' as const, providerStatus: 'executed' };

const refund = (over: Partial<Refund> = {}): Refund => ({
  id: 'rf_1',
  orderId: 'ord_1',
  attemptId: 'pay_2',
  amount: 150000,
  currency: 'AMD',
  reason: 'x',
  lines: [],
  actor: 'system',
  status: 'succeeded',
  providerRef: null,
  error: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});

/** The second payment of a paid order, decided with auto_refund_surplus as given. */
function secondPayment(autoRefundSurplus: boolean, over: { attempts?: PaymentAttempt[]; refunds?: Refund[] } = {}) {
  return decidePaymentChange({
    order: paidOrder,
    attempts: over.attempts ?? [first, second],
    attemptId: 'pay_2',
    event: paid,
    verifiedBy: 'signature',
    actor: 'provider',
    at,
    effects,
    refunds: over.refunds ?? [],
    autoRefundSurplus,
  });
}

test('a surplus refund id is derived from its payment and told apart from any random one', () => {
  assert.equal(surplusRefundId('pay_2'), surplusRefundId('pay_2'));
  assert.notEqual(surplusRefundId('pay_2'), surplusRefundId('pay_3'));
  assert.equal(isSurplusRefund({ id: surplusRefundId('pay_2') }), true);
  assert.equal(isSurplusRefund({ id: 'rf_abcdefghijklmnopqrstuvwxyz' }), false);
});

test('a double payment with auto_refund_surplus: the whole surplus payment is refunded and the task says so', () => {
  const d = secondPayment(true);
  assert.deepEqual(d.refund, {
    id: surplusRefundId('pay_2'),
    attemptId: 'pay_2',
    amount: 150000,
    reason: 'surplus payment fd-1240-2 of a double payment (order fd-1240 was already paid), refunded automatically',
  });
  assert.deepEqual(
    d.tasks.map((t) => [t.kind, t.attemptId]),
    [['double_payment', 'pay_2']],
  );
  assert.match(d.tasks[0]!.reason, /A refund is on its way: .*fd-1240-2 of 1500\.00 AMD automatically/);
  assert.match(d.tasks[0]!.reason, /resolved when that refund succeeds/);
});

test('without the setting the double_payment task opens as before and nothing is refunded', () => {
  const d = secondPayment(false);
  assert.equal(d.refund, undefined);
  assert.match(d.tasks[0]!.reason, /Refund the surplus of 1500\.00 AMD/);
});

test('a repeated or stale event refunds nothing again', () => {
  const done = { ...second, status: 'succeeded' as const };
  assert.equal(secondPayment(true, { attempts: [first, done] }).refund, undefined, 'a duplicate decides nothing');
  const base: SurplusRefundInput = {
    order: paidOrder,
    attempts: [first, done],
    attemptId: 'pay_2',
    refunds: [refund({ id: surplusRefundId('pay_2'), status: 'failed' })],
    adjustments: [],
    tasks: [{ kind: 'double_payment', reason: 'r', orderId: 'ord_1', attemptId: 'pay_2' }],
    autoRefund: true,
  };
  assert.equal(planSurplusRefund(base).refund, undefined, 'a refund of that id exists already');
  assert.deepEqual(planSurplusRefund(base).tasks, base.tasks);
});

test('only a payment surplus as a whole, with its amount not contradicted, is refunded automatically', () => {
  // Half of the order was paid before: the second payment is only partly surplus.
  const half = { ...first, amount: 75000 };
  assert.equal(secondPayment(true, { attempts: [half, second] }).refund, undefined);
  const base: SurplusRefundInput = {
    order: paidOrder,
    attempts: [first, { ...second, status: 'succeeded' }],
    attemptId: 'pay_2',
    refunds: [],
    adjustments: [],
    tasks: [
      { kind: 'amount_mismatch', reason: 'm', orderId: 'ord_1', attemptId: 'pay_2' },
      { kind: 'double_payment', reason: 'r', orderId: 'ord_1', attemptId: 'pay_2' },
    ],
    autoRefund: true,
  };
  assert.equal(planSurplusRefund(base).refund, undefined, 'the provider reported another amount');
  assert.ok(planSurplusRefund({ ...base, tasks: base.tasks.slice(1) }).refund);
  assert.equal(planSurplusRefund({ ...base, tasks: base.tasks.slice(1), autoRefund: false }).refund, undefined);
});

test('a surplus refund leaves the order paid and owing nothing; other refunds count as before', () => {
  const both = [first, { ...second, status: 'succeeded' as const }];
  const surplus = refund({ id: surplusRefundId('pay_2') });
  assert.equal(derivePaymentStatus(both, [surplus]), 'paid');
  assert.equal(outstandingOf(150000, both, [surplus], []), 0);
  assert.equal(outstandingOf(150000, both, [], []), -150000, 'unrefunded, it is paid beyond the amount');
  // The store then refunds part or all of the order itself.
  const store = refund({ id: 'rf_store', attemptId: 'pay_1', amount: 50000 });
  assert.equal(derivePaymentStatus(both, [surplus, store]), 'partially_refunded');
  assert.equal(derivePaymentStatus(both, [surplus, { ...store, amount: 150000 }]), 'refunded');
  // A refund by a person of the same surplus is an ordinary refund, as before.
  assert.equal(derivePaymentStatus(both, [refund({ id: 'rf_person' })]), 'partially_refunded');
  // Requested, not succeeded: it holds its amount against what is owed, and the order is paid.
  assert.equal(derivePaymentStatus(both, [{ ...surplus, status: 'requested' }]), 'paid');
  assert.equal(outstandingOf(150000, both, [{ ...surplus, status: 'requested' }], []), 0);
});
