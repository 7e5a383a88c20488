import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chargeback } from './chargeback.js';
import { decideChargebackNotice } from './chargeback-notice.js';
import { decideUnmatched } from './callback-outcome.js';
import type { EffectSettings } from './effect-plan.js';
import { DEFAULT_NOTIFICATIONS } from './notifications.js';
import { at, attempt, order } from '../../test/support/domain-samples.js';
import { decidePaymentChange } from './payment-change.js';

const effects = (over: Partial<EffectSettings<{ id: string; events: string[] }>> = {}) => ({
  endpoints: [
    { id: 'ep_all', events: ['*'] },
    { id: 'ep_refunds', events: ['refund.succeeded'] },
  ],
  mail: DEFAULT_NOTIFICATIONS,
  fiscal: true,
  ...over,
});
const paid = { providerRef: 'fd-1240', status: 'succeeded' as const, providerStatus: 'executed' };

test('a first payment decides the attempt, the order, its effects and the fiscal follow-up as values', () => {
  const change = decidePaymentChange({
    order: order(),
    attempts: [attempt()],
    attemptId: 'pa_1',
    event: paid,
    verifiedBy: 'signature',
    actor: 'provider',
    at,
    effects: effects(),
  });
  assert.equal(change.outcome, 'applied');
  assert.equal(change.attempt?.status, 'succeeded');
  assert.deepEqual(change.order, { status: 'processing', paymentStatus: 'paid', reviewStatus: 'approved' });
  const kinds = change.events.map((e) => e.kind);
  assert.deepEqual(kinds, ['payment.succeeded', 'review.approved', 'order.status_changed']);
  const [onPaid] = change.effects.perEvent;
  assert.deepEqual(
    onPaid?.map((fx) => fx.kind),
    ['receipt', 'webhook', 'mail'],
    'the sale receipt, the webhook, the mail',
  );
  const webhook = onPaid?.find((fx) => fx.kind === 'webhook');
  assert.deepEqual(webhook?.kind === 'webhook' && webhook.endpoints.map((e) => e.id), ['ep_all']);
  const receipt = onPaid?.find((fx) => fx.kind === 'receipt');
  assert.ok(receipt?.kind === 'receipt');
  assert.equal(receipt.receipt.amount, 150000);
  assert.equal(receipt.followUp.kind, 'receipt.requested');
  assert.equal(change.effects.fiscalStatus, 'pending');
  // Without a fiscal service no receipt is planned and the fiscal track stays.
  const noFiscal = decidePaymentChange({
    order: order(),
    attempts: [attempt()],
    attemptId: 'pa_1',
    event: paid,
    verifiedBy: 'signature',
    actor: 'provider',
    at,
    effects: effects({ fiscal: false, mail: null }),
  });
  assert.deepEqual(
    noFiscal.effects.perEvent[0]?.map((fx) => fx.kind),
    ['webhook'],
  );
  assert.equal(noFiscal.effects.fiscalStatus, undefined);
});

test('a duplicate payment decides nothing but its outcome; a paid link records its payment', () => {
  const dup = decidePaymentChange({
    order: order({ status: 'processing', paymentStatus: 'paid' }),
    attempts: [attempt({ status: 'succeeded' })],
    attemptId: 'pa_1',
    event: paid,
    verifiedBy: 'signature',
    actor: 'provider',
    at,
    effects: effects(),
  });
  assert.equal(dup.outcome, 'duplicate');
  assert.deepEqual(
    [dup.attempt, dup.order, dup.link, dup.events, dup.tasks],
    [undefined, undefined, undefined, [], []],
  );
  const link = {
    id: 'pl_1',
    orderId: 'ord_1',
    amount: 150000,
    currency: 'AMD',
    paymentMethodId: 'pm_1',
    status: 'active' as const,
    expiresAt: '2026-11-24T10:00:00.000Z',
    actor: 'system',
    reason: 'r',
    attemptId: null,
    revokedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  const viaLink = decidePaymentChange({
    order: order(),
    attempts: [attempt({ paymentLinkId: 'pl_1' })],
    attemptId: 'pa_1',
    event: paid,
    verifiedBy: 'signature',
    actor: 'provider',
    at,
    link,
    effects: effects(),
  });
  assert.deepEqual(viaLink.link, { id: 'pl_1', patch: { status: 'paid', attemptId: 'pa_1' } });
});

const chargeback = (over: Partial<Chargeback> = {}): Chargeback => ({
  id: 'cb_1',
  orderId: 'ord_1',
  attemptId: 'pa_1',
  amount: 150000,
  currency: 'AMD',
  reasonCode: '4837',
  status: 'opened',
  source: 'provider',
  providerRef: 'dp-1',
  note: null,
  actor: 'provider',
  createdAt: at,
  updatedAt: at,
  ...over,
});
const notice = (status: Chargeback['status']) => ({ ref: 'dp-1', amount: 150000, reasonCode: '4837', status });
const disputeOn = (chargebacks: Chargeback[], status: Chargeback['status']) =>
  decideChargebackNotice({
    order: order({ status: 'processing', paymentStatus: chargebacks.length > 0 ? 'charged_back' : 'paid' }),
    attempts: [attempt({ status: 'succeeded' })],
    refunds: [],
    chargebacks,
    attempt: attempt({ status: 'succeeded' }),
    notice: notice(status),
    effects: effects(),
  });

test('a dispute notice: opened once, then decided once; a repeat or a reopening changes nothing', () => {
  const first = disputeOn([], 'opened');
  assert.equal(first.outcome, 'applied');
  assert.equal(first.opened?.chargeback.providerRef, 'dp-1');
  assert.equal(first.paymentStatus, 'charged_back');
  assert.deepEqual(
    first.opened?.events.map((e) => e.kind),
    ['chargeback.opened'],
  );
  assert.equal(first.tasks[0]?.kind, 'chargeback');
  assert.equal(first.effects.perEvent[0]?.[0]?.kind, 'webhook');
  assert.equal(disputeOn([chargeback()], 'opened').outcome, 'duplicate');
  const won = disputeOn([chargeback()], 'won');
  assert.deepEqual(won.update?.patch, { status: 'won' });
  assert.equal(won.paymentStatus, 'paid');
  assert.equal(disputeOn([chargeback({ status: 'won' })], 'lost').outcome, 'stale');
  // Reported already decided: opened and decided in one notice.
  assert.deepEqual(
    disputeOn([], 'lost').opened?.events.map((e) => e.kind),
    ['chargeback.opened', 'chargeback.lost'],
  );
});

test('the first notice of a dispute recorded by hand adopts that record', () => {
  const manual = chargeback({ id: 'cb_hand', source: 'api', providerRef: null, actor: 'user:ann' });
  const adopted = disputeOn([manual], 'opened');
  assert.equal(adopted.outcome, 'applied');
  assert.equal(adopted.opened, undefined);
  assert.deepEqual(adopted.update?.patch, { providerRef: 'dp-1' });
  assert.deepEqual(
    adopted.update?.events.map((e) => e.kind),
    ['chargeback.matched'],
  );
});

test('an unmatched verified callback opens one task, not one per retry', () => {
  const input = { methodName: 'Card', providerRef: 'zz-9', providerStatus: 'executed' };
  const first = decideUnmatched({ ...input, seenBefore: false });
  assert.equal(first.reason, 'No payment zz-9 was started with this payment method.');
  assert.deepEqual(
    first.tasks.map((t) => [t.kind, t.orderId]),
    [['callback_unmatched', null]],
  );
  assert.deepEqual(decideUnmatched({ ...input, seenBefore: true }).tasks, []);
});
