import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startIdramSandbox, type RunningSandbox } from '../../src/connectors/idram/sandbox.js';
import { newReference, startHarness, type Harness } from '../support/harness.js';
import { pressOnPage } from '../support/conformance/browser-steps.js';
import { noteSecret } from '../support/test-logs.js';

// What the conformance suite does not reach for Idram: a confirmation that comes without its
// pre-check (Settle's own checks then hold it), the pre-checks nobody should pass, and the
// customer's return by a posted form. On the store DATABASE_URL names.

const REC = '100000114';
const KEY = 'idram-flow-secret-1f2e3d4c';
let h: Harness;
let idram: RunningSandbox;
let methodId: string;

before(async () => {
  noteSecret(KEY);
  h = await startHarness({ httpTimeoutMs: 1500 });
  idram = await startIdramSandbox();
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Idram',
      connector: 'idram',
      settings: { rec_account: REC, secret_key: KEY, payment_url: `${idram.url}/Payment/GetPayment`, language: 'EN' },
      currencies: ['AMD'],
      auto_approve: true,
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  methodId = pm.body.id;
  const back = `${h.url}/return/m/${methodId}`;
  idram.sandbox.addMerchant({
    recAccount: REC,
    secretKey: KEY,
    resultUrl: `${h.url}/callbacks/${methodId}`,
    successUrl: back,
    failUrl: back,
  });
});

after(async () => {
  await idram.close();
  await h.close();
});

async function started(amount = 150000) {
  const reference = newReference('ID');
  const order = await h.api('POST', '/v1/orders', {
    reference,
    currency: 'AMD',
    lines: [{ sku: 'JAM', name: 'Apricot jam', quantity: 1, unit_amount: amount }],
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const pay = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: methodId });
  assert.equal(pay.status, 201, JSON.stringify(pay.body));
  return { orderId: order.body.id as string, paymentId: pay.body.id as string, next: pay.body.next_step, reference };
}

const pay = (p: { next: { url: string; fields: Record<string, string> } }) =>
  pressOnPage(p.next.url, 'pay', { method: 'POST', form: p.next.fields });
const orderOf = async (id: string) => (await h.api('GET', `/v1/orders/${id}`)).body;
const taskKinds = async (orderId: string) =>
  (await h.api('GET', '/v1/tasks?status=open&limit=500', undefined, { key: h.adminKey })).body.data
    .filter((t: { order_id: string }) => t.order_id === orderId)
    .map((t: { kind: string }) => t.kind);
const callbacks = async () =>
  (await h.api('GET', `/v1/callbacks?payment_method_id=${methodId}&limit=500`, undefined, { key: h.adminKey })).body
    .data;
const resultPost = (fields: Record<string, string>) =>
  fetch(`${h.url}/callbacks/${methodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

test('the form carries the bill, "1500.00" and the account; the second attempt gets "-2"', async () => {
  const p = await started();
  assert.equal(p.next.type, 'form_post');
  assert.equal(p.next.url, `${idram.url}/Payment/GetPayment`);
  assert.deepEqual(
    [p.next.fields.EDP_BILL_NO, p.next.fields.EDP_AMOUNT, p.next.fields.EDP_REC_ACCOUNT],
    [p.reference, '1500.00', REC],
  );
  const second = await h.api('POST', `/v1/orders/${p.orderId}/payments`, { payment_method_id: methodId });
  assert.equal(second.body.next_step.fields.EDP_BILL_NO, `${p.reference}-2`);
  await pay({ next: second.body.next_step });
  await idram.sandbox.idle();
  const order = await orderOf(p.orderId);
  assert.equal(order.payment_status, 'paid');
  assert.equal(order.payments.find((x: { id: string }) => x.id === second.body.id).status, 'succeeded');
});

test('a confirmation of another amount with no pre-check before it is held for a person', async () => {
  const p = await started();
  idram.sandbox.setSwitches(p.reference, { skipPrecheck: true, reportAmount: '1400.00' });
  await pay(p);
  await idram.sandbox.idle();
  const order = await orderOf(p.orderId);
  assert.equal(order.status, 'on_hold');
  assert.ok((await taskKinds(p.orderId)).includes('amount_mismatch'));
});

test('a confirmation with no pre-check for a canceled order is taken and held: paid after cancel', async () => {
  const p = await started();
  idram.sandbox.openBill(p.next.fields);
  const cancel = await h.api('POST', `/v1/orders/${p.orderId}/cancel`, { reason: 'changed mind' });
  assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
  idram.sandbox.setSwitches(p.reference, { skipPrecheck: true });
  await pay(p);
  await idram.sandbox.idle();
  assert.ok((await taskKinds(p.orderId)).includes('paid_after_cancel'));
  const log = (await callbacks()).filter((c: { payment_id: string }) => c.payment_id === p.paymentId);
  assert.equal(log[0].outcome, 'applied');
  assert.match(log[0].body, /EDP_CHECKSUM=\*\*\*/);
  assert.equal(log[0].body.includes(KEY), false);
});

test('pre-checks nobody should pass are answered NO: an unknown bill, another account, another amount', async () => {
  const p = await started();
  const ask = async (fields: Record<string, string>) => {
    const res = await resultPost({ EDP_PRECHECK: 'YES', ...fields });
    return [res.status, await res.text()];
  };
  const bill = p.reference;
  assert.deepEqual(await ask({ EDP_BILL_NO: 'NO-SUCH-1', EDP_REC_ACCOUNT: REC, EDP_AMOUNT: '1500.00' }), [200, 'NO']);
  assert.deepEqual(await ask({ EDP_BILL_NO: bill, EDP_REC_ACCOUNT: '100000999', EDP_AMOUNT: '1500.00' }), [200, 'NO']);
  assert.deepEqual(await ask({ EDP_BILL_NO: bill, EDP_REC_ACCOUNT: REC, EDP_AMOUNT: '1500.01' }), [200, 'NO']);
  assert.deepEqual(await ask({ EDP_BILL_NO: bill.toLowerCase(), EDP_REC_ACCOUNT: REC, EDP_AMOUNT: '1500' }), [
    200,
    'OK',
  ]);
  const reasons = (await callbacks())
    .filter((c: { outcome: string }) => c.outcome === 'answered')
    .map((c: { reason: string }) => c.reason);
  assert.ok(reasons.some((r: string) => /100000999/.test(r)));
  assert.equal((await orderOf(p.orderId)).payment_status, 'pending');
});

test('the customer comes back by GET or by a posted form with EDP_BILL_NO; an unknown bill is not found', async () => {
  const p = await started();
  for (const res of [
    await fetch(`${h.url}/return/m/${methodId}?EDP_BILL_NO=${encodeURIComponent(p.reference)}`, { redirect: 'manual' }),
    await fetch(`${h.url}/return/m/${methodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ EDP_BILL_NO: p.reference }).toString(),
      redirect: 'manual',
    }),
  ]) {
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/return/${p.paymentId}`);
  }
  const unknown = await fetch(`${h.url}/return/m/${methodId}?EDP_BILL_NO=NOPE-1`, { redirect: 'manual' });
  assert.equal(unknown.status, 404);
});

test('a pay-by-link through Idram sends the customer on with the self-posting form to Idram', async () => {
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('IL'),
    currency: 'AMD',
    lines: [{ sku: 'JAM', name: 'Apricot jam', quantity: 1, unit_amount: 120000 }],
  });
  assert.equal(order.status, 201);
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const link = await h.api('POST', `/v1/orders/${order.body.id}/payment-links`, {
    expires_at: expires,
    payment_method_id: methodId,
  });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  const res = await fetch(link.body.url, { method: 'POST', redirect: 'manual' });
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, new RegExp(`<form id="next-step" method="post" action="${idram.url}/Payment/GetPayment"`));
  assert.match(page, /name="EDP_AMOUNT" value="1200\.00"/);
  assert.match(String(res.headers.get('content-security-policy')), /form-action http:\/\/127\.0\.0\.1:\d+;/);
});
