import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, attempt, order } from '../../test/support/domain-samples.js';
import type { PaymentAttempt } from './order.js';
import { decidePaymentChange } from './payment-change.js';
import { outstandingOf } from './payment-link.js';
import { derivePaymentStatus } from './payment-status.js';
import { surplusPartOf, surplusRefundId, type Refund } from './refund.js';
import { doublePaymentSettled, planSurplusRefund, type SurplusRefundInput } from './surplus-refund.js';

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
  surplusAmount: 0,
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

test('the automatic refund of a surplus payment has one id, derived from the payment', () => {
  assert.equal(surplusRefundId('pay_2'), surplusRefundId('pay_2'));
  assert.notEqual(surplusRefundId('pay_2'), surplusRefundId('pay_3'));
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

const both = [first, { ...second, status: 'succeeded' as const }];

test('the surplus part of a refund leaves the order paid and owing nothing, whoever made it; the rest counts as before', () => {
  const surplus = refund({ id: surplusRefundId('pay_2'), surplusAmount: 150000 });
  assert.equal(derivePaymentStatus(both, [surplus]), 'paid');
  assert.equal(outstandingOf(150000, both, [surplus], []), 0);
  assert.equal(outstandingOf(150000, both, [], []), -150000, 'unrefunded, it is paid beyond the amount');
  // The store then refunds part or all of the order itself.
  const store = refund({ id: 'rf_store', attemptId: 'pay_1', amount: 50000 });
  assert.equal(derivePaymentStatus(both, [surplus, store]), 'partially_refunded');
  assert.equal(derivePaymentStatus(both, [surplus, { ...store, amount: 150000 }]), 'refunded');
  // A person's refund of the surplus, out of either payment, is the same surplus going back.
  for (const attemptId of ['pay_1', 'pay_2']) {
    const person = refund({ id: 'rf_person', attemptId, surplusAmount: 150000 });
    assert.equal(derivePaymentStatus(both, [person]), 'paid');
    assert.equal(outstandingOf(150000, both, [person], []), 0);
  }
  // Requested, not succeeded: it holds its amount against what is owed, and the order is paid.
  assert.equal(derivePaymentStatus(both, [{ ...surplus, status: 'requested' }]), 'paid');
  assert.equal(outstandingOf(150000, both, [{ ...surplus, status: 'requested' }], []), 0);
  assert.equal(
    outstandingOf(150000, both, [{ ...surplus, status: 'failed' }], []),
    -150000,
    'a failed one gave nothing',
  );
});

test('what a refund gives back of a surplus is decided when it is made, and holds whatever the amount does later', () => {
  const person = refund({
    attemptId: 'pay_1',
    surplusAmount: surplusPartOf(150000, outstandingOf(150000, both, [], [])),
  });
  assert.equal(person.surplusAmount, 150000);
  // The amount rises by 200.00: the customer owes it, nothing is refunded out of money given back.
  assert.equal(outstandingOf(170000, both, [person], []), 20000);
  // It falls by 200.00: exactly that goes back.
  assert.equal(outstandingOf(130000, both, [person], []), -20000);
  // A refund made while the order held the surplus (meant as goodwill) took that much of it first:
  // of the whole surplus payment refunded after it, only what was left is surplus, the rest is a
  // refund of the order. The customer keeps the goodwill, and nothing is counted twice.
  const goodwill = refund({ id: 'rf_g', attemptId: 'pay_1', amount: 10000, surplusAmount: 10000 });
  const rest = surplusPartOf(150000, outstandingOf(150000, both, [goodwill], []));
  assert.equal(rest, 140000);
  assert.equal(outstandingOf(150000, both, [goodwill, refund({ surplusAmount: rest })], []), 0);
  assert.equal(derivePaymentStatus(both, [goodwill, refund({ surplusAmount: rest })]), 'partially_refunded');
});

test('a double payment is settled once its surplus went back by any route, counting only refunds that succeeded', () => {
  const settled = (refunds: Refund[], attempts: PaymentAttempt[] = both, amount = 150000) =>
    doublePaymentSettled({ amount, attempts, attemptId: 'pay_2', refunds, adjustments: [] });
  assert.equal(settled([]), false);
  const auto = refund({ id: surplusRefundId('pay_2'), surplusAmount: 150000 });
  assert.equal(settled([{ ...auto, status: 'pending' }]), false, 'on its way: not settled yet');
  assert.equal(settled([auto]), true);
  assert.equal(settled([refund({ attemptId: 'pay_1', surplusAmount: 150000 })]), true, 'out of the other payment');
  const half = refund({ id: 'rf_half', amount: 75000, surplusAmount: 75000 });
  assert.equal(settled([half]), false);
  assert.equal(settled([half, { ...half, id: 'rf_half2' }]), true);
  assert.equal(settled([refund({ surplusAmount: 0 })]), false, 'a refund of the order settles no surplus');
  // Paid three times: the payment given back in full settles its own task; the order still holds the third.
  const third = attempt({ id: 'pay_3', status: 'succeeded', providerRef: 'fd-1240-3' });
  assert.equal(settled([auto], [...both, third]), true);
  assert.equal(
    doublePaymentSettled({
      amount: 150000,
      attempts: [...both, third],
      attemptId: 'pay_3',
      refunds: [auto],
      adjustments: [],
    }),
    false,
  );
});
