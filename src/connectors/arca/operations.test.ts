import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderUnreachable } from '../../ports/http-client.js';
import { arca } from './connector.js';
import { json, MD_ORDER, PAYMENT, scripted, settings, statusAnswer } from './test-support.test.js';

const OK = json(200, { errorCode: '0', errorMessage: 'Success' });
const methods = (sent: { method: string }[]) => sent.map((x) => x.method);

test('cancel: an open order is reversed, and the status after it is answered', async () => {
  const { ctx, sent } = scripted({
    'getOrderStatusExtended.do': [statusAnswer(0), statusAnswer(3)],
    'reverse.do': [OK],
  });
  const r = await arca.cancel!(settings(), PAYMENT, ctx);
  assert.ok(r.ok && r.value.status === 'canceled' && r.value.providerStatus === 'orderStatus=3');
  assert.deepEqual(methods(sent), ['getOrderStatusExtended.do', 'reverse.do', 'getOrderStatusExtended.do']);
  assert.equal(sent[1]?.form.orderId, MD_ORDER);
  assert.equal(sent[1]?.form.amount, undefined);
});

test('cancel never reverses a paid order: its status is answered and Settle sees it was paid', async () => {
  for (const orderStatus of [2, 4]) {
    const { ctx, sent } = scripted({ 'getOrderStatusExtended.do': [statusAnswer(orderStatus)] });
    const r = await arca.cancel!(settings(), PAYMENT, ctx);
    assert.ok(r.ok && r.value.status === 'succeeded');
    assert.deepEqual(methods(sent), ['getOrderStatusExtended.do']);
  }
  // Already reversed or declined: nothing to do, the status says so.
  for (const [orderStatus, status] of [
    [3, 'canceled'],
    [6, 'failed'],
  ] as const) {
    const { ctx, sent } = scripted({ 'getOrderStatusExtended.do': [statusAnswer(orderStatus)] });
    const r = await arca.cancel!(settings(), PAYMENT, ctx);
    assert.ok(r.ok && r.value.status === status);
    assert.equal(sent.length, 1);
  }
});

test('cancel: a refused reversal is provider_error; no usable answer is unknown; no mdOrder is not sent', async () => {
  const refused = scripted({
    'getOrderStatusExtended.do': [statusAnswer(0)],
    'reverse.do': [json(200, { errorCode: '7', errorMessage: 'Reversal is impossible' })],
  });
  const r = await arca.cancel!(settings(), PAYMENT, refused.ctx);
  assert.ok(!r.ok && r.error.outcome === 'refused' && r.error.details?.errorCode === '7');

  const lost = scripted({ 'getOrderStatusExtended.do': [statusAnswer(0)], 'reverse.do': [json(502, {})] });
  const u = await arca.cancel!(settings(), PAYMENT, lost.ctx);
  assert.ok(!u.ok && u.error.outcome === 'unknown');

  const noCheck = scripted({ 'getOrderStatusExtended.do': [json(503, {})] });
  const n = await arca.cancel!(settings(), PAYMENT, noCheck.ctx);
  assert.ok(!n.ok && n.error.outcome === 'unknown');
  assert.equal(noCheck.sent.length, 1);

  const none = scripted({});
  const x = await arca.cancel!(settings(), { ...PAYMENT, providerPaymentId: null }, none.ctx);
  assert.ok(!x.ok && x.error.outcome === 'not_sent');
  assert.equal(none.sent.length, 0);
});

test('cancel: reversed, but the status after it got no answer: the reversal is answered as canceled', async () => {
  const { ctx } = scripted({
    'getOrderStatusExtended.do': [statusAnswer(0), new ProviderUnreachable('timeout', 'x')],
    'reverse.do': [OK],
  });
  const r = await arca.cancel!(settings(), PAYMENT, ctx);
  assert.ok(r.ok && r.value.status === 'canceled' && r.value.providerStatus === 'reversed');
});

test('void releases only a held payment; capture deposits only a held one, never twice', async () => {
  const held = scripted({ 'getOrderStatusExtended.do': [statusAnswer(1), statusAnswer(3)], 'reverse.do': [OK] });
  const v = await arca.void!(settings(), PAYMENT, held.ctx);
  assert.ok(v.ok && v.value.status === 'canceled');
  assert.deepEqual(methods(held.sent), ['getOrderStatusExtended.do', 'reverse.do', 'getOrderStatusExtended.do']);

  const open = scripted({ 'getOrderStatusExtended.do': [statusAnswer(0)] });
  const v0 = await arca.void!(settings(), PAYMENT, open.ctx);
  assert.ok(v0.ok && v0.value.status === 'pending');
  assert.equal(open.sent.length, 1);

  const cap = scripted({
    'getOrderStatusExtended.do': [statusAnswer(1), statusAnswer(2, { paymentAmountInfo: { depositedAmount: 120000 } })],
    'deposit.do': [OK],
  });
  const c = await arca.capture!(settings(), { ...PAYMENT, captureAmount: 120000 }, cap.ctx);
  assert.ok(c.ok && c.value.status === 'succeeded' && c.value.amount === 120000);
  assert.deepEqual(cap.sent[1]?.form, {
    userName: 'shop-api',
    password: cap.sent[1]?.form.password,
    orderId: MD_ORDER,
    amount: '120000',
  });

  const again = scripted({ 'getOrderStatusExtended.do': [statusAnswer(2)] });
  const c2 = await arca.capture!(settings(), { ...PAYMENT, captureAmount: 150000 }, again.ctx);
  assert.ok(c2.ok && c2.value.status === 'succeeded');
  assert.deepEqual(methods(again.sent), ['getOrderStatusExtended.do']);

  for (const captureAmount of [0, -1, 150001, 1.5]) {
    const none = scripted({});
    const r = await arca.capture!(settings(), { ...PAYMENT, captureAmount }, none.ctx);
    assert.ok(!r.ok && r.error.outcome === 'not_sent', String(captureAmount));
  }
});

const REFUND = { payment: PAYMENT, refundId: 'rf_1', amount: 50000, refundedBefore: 0, resend: false };
const refunded = (n: number) => statusAnswer(4, { paymentAmountInfo: { depositedAmount: 150000, refundedAmount: n } });

test('refund: refund.do with the amount in minor units; succeeded, or refused with the code', async () => {
  const { ctx, sent } = scripted({ 'refund.do': [OK] });
  const r = await arca.refund!(settings(), REFUND, ctx);
  assert.deepEqual(r, { ok: true, value: { status: 'succeeded', providerRef: null } });
  assert.deepEqual(methods(sent), ['refund.do']);
  assert.equal(sent[0]?.form.orderId, MD_ORDER);
  assert.equal(sent[0]?.form.amount, '50000');

  const no = scripted({
    'refund.do': [json(200, { errorCode: 7, errorMessage: 'Refund amount exceeds deposited amount' })],
  });
  const f = await arca.refund!(settings(), REFUND, no.ctx);
  assert.ok(!f.ok && f.error.outcome === 'refused' && f.error.details?.errorCode === '7');

  const lost = scripted({ 'refund.do': [new ProviderUnreachable('timeout', 'x')] });
  const u = await arca.refund!(settings(), REFUND, lost.ctx);
  assert.ok(!u.ok && u.error.outcome === 'unknown');

  for (const amount of [0, -5, 2.5]) {
    const r0 = await arca.refund!(settings(), { ...REFUND, amount }, scripted({}).ctx);
    assert.ok(!r0.ok && r0.error.outcome === 'not_sent');
  }
});

test('refund sent again: made (refunded grew by it) → succeeded without a call; not made → sent again', async () => {
  const made = scripted({ 'getOrderStatusExtended.do': [refunded(80000)] });
  const m = await arca.refund!(settings(), { ...REFUND, refundedBefore: 30000, resend: true }, made.ctx);
  assert.deepEqual(m, { ok: true, value: { status: 'succeeded', providerRef: null } });
  assert.deepEqual(methods(made.sent), ['getOrderStatusExtended.do']);

  const notMade = scripted({ 'getOrderStatusExtended.do': [refunded(30000)], 'refund.do': [OK] });
  const n = await arca.refund!(settings(), { ...REFUND, refundedBefore: 30000, resend: true }, notMade.ctx);
  assert.ok(n.ok && n.value.status === 'succeeded');
  assert.deepEqual(methods(notMade.sent), ['getOrderStatusExtended.do', 'refund.do']);
  // First send at status 2 (nothing refunded yet) also goes.
  const first = scripted({ 'getOrderStatusExtended.do': [statusAnswer(2)], 'refund.do': [OK] });
  assert.equal((await arca.refund!(settings(), { ...REFUND, resend: true }, first.ctx)).ok, true);
  assert.deepEqual(methods(first.sent), ['getOrderStatusExtended.do', 'refund.do']);
});

test('refund sent again: a status that cannot tell, or no status, is unknown and sends nothing', async () => {
  for (const answer of [
    refunded(60000), // 60000 refunded, 0 before, 50000 asked: someone else refunded too
    statusAnswer(4, { paymentAmountInfo: undefined }),
    json(502, {}),
  ]) {
    const { ctx, sent } = scripted({ 'getOrderStatusExtended.do': [answer] });
    const r = await arca.refund!(settings(), { ...REFUND, resend: true }, ctx);
    assert.ok(!r.ok && r.error.outcome === 'unknown', JSON.stringify(answer));
    assert.deepEqual(methods(sent), ['getOrderStatusExtended.do']);
  }
});
