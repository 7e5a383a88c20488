import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../support/async.js';
import { newReference, TEST_SHOP_ID, type Harness } from '../support/harness.js';
import { paidOrder, startWorld, type World } from '../support/after-payment.js';
import type { PaymentLink } from '../../src/domain/payment-link.js';

let w: World;
let h: Harness;
before(async () => {
  w = await startWorld();
  h = w.h;
});
after(async () => {
  await w.close();
});

const inDays = (days: number) => new Date(h.deps.clock.now().getTime() + days * 86_400_000).toISOString();
const order = async (id: string) => (await h.api('GET', `/v1/orders/${id}`)).body;
const tasks = (orderId: string, kind?: string) => h.store.storage.read.listTasks({ orderId, kind, status: 'open' });
const page = async (url: string, method = 'GET') => {
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    ...(method === 'POST' && { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
};

async function unpaidOrder(amount = 20000) {
  const r = await h.api('POST', '/v1/orders', {
    reference: newReference('PL'),
    currency: 'AMD',
    amount,
    customer: { email: 'buyer@example.com' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

/** The customer presses Pay on the link's page and pays on the acquirer's page. */
async function payThrough(url: string) {
  const post = await page(url, 'POST');
  assert.equal(post.status, 303, post.text);
  assert.equal((await fetch(post.location!)).status, 200, 'the acquirer page opens');
  return post.location!;
}

async function payOpenAttempt(orderId: string, attemptId: string) {
  const a = await h.store.storage.read.getAttempt(attemptId);
  await h.sandbox.sandbox.pay(TEST_SHOP_ID, a!.providerRef);
  await waitFor(
    'the callback is applied',
    async () => (await h.store.storage.read.getAttempt(attemptId))?.status === 'succeeded',
    5000,
  );
  return (await h.store.storage.read.listAttempts(orderId)).find((x) => x.id === attemptId)!;
}

/** Runs `fn` as if the clock were `ms` ahead, then puts it back. */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const real = h.deps.clock;
  h.deps.clock = { now: () => new Date(real.now().getTime() + ms) };
  try {
    return await fn();
  } finally {
    h.deps.clock = real;
  }
}

test('a rise on a prepaid order becomes a payment link; paying it settles the order without a double-payment task', async () => {
  const { orderId } = await paidOrder(h);
  const fee = await h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'fee_change',
    amount_delta: 5000,
    reason: 'courier surcharge',
  });
  assert.equal(fee.status, 201, JSON.stringify(fee.body));
  assert.equal(fee.body.refund, null);
  const link = fee.body.payment_link;
  assert.equal(link.amount, 5000);
  assert.equal(link.status, 'active');
  assert.match(link.url, /\/pay\/[A-Za-z0-9_-]{43}$/, 'a 256-bit token');
  let o = await order(orderId);
  assert.equal(o.outstanding_amount, 5000);
  assert.deepEqual(
    o.payment_links.map((l: { status: string }) => l.status),
    ['active'],
  );
  assert.equal(JSON.stringify(o).includes(link.url.split('/pay/')[1]), false, 'the token is shown once, never again');
  assert.deepEqual(await tasks(orderId, 'additional_payment'), [], 'a link, not a task');

  const view = await page(link.url);
  assert.equal(view.status, 200);
  assert.match(view.text, /AMD\u00a050\.00/);
  assert.equal((await h.store.storage.read.listAttempts(orderId)).length, 1, 'looking at the page starts nothing');

  const to = await payThrough(link.url);
  assert.equal(await payThrough(link.url), to, 'pressing Pay again resumes the same payment');
  const attempts = await h.store.storage.read.listAttempts(orderId);
  assert.equal(attempts.length, 2);
  const linked = attempts[1]!;
  assert.deepEqual([linked.amount, linked.paymentLinkId], [5000, link.id]);
  await payOpenAttempt(orderId, linked.id);

  o = await order(orderId);
  assert.deepEqual([o.status, o.payment_status, o.amount, o.outstanding_amount], ['processing', 'paid', 155000, 0]);
  assert.deepEqual(
    o.payment_links.map((l: { status: string; payment_id: string }) => [l.status, l.payment_id]),
    [['paid', linked.id]],
  );
  assert.deepEqual(await tasks(orderId), [], 'an additional payment for what was owed is not a double payment');
  assert.match((await page(link.url)).text, /has been paid/);
  assert.equal((await page(link.url, 'POST')).status, 200, 'a paid link takes nothing more');
  assert.equal((await h.store.storage.read.listAttempts(orderId)).length, 2);
});

test('a link made with an Idempotency-Key is answered again on a retry, and its URL is not stored readable', async () => {
  const orderId = await unpaidOrder();
  const headers = { 'idempotency-key': `link-${orderId}` };
  const body = { expires_at: inDays(1) };
  const first = await h.api('POST', `/v1/orders/${orderId}/payment-links`, body, { headers });
  const again = await h.api('POST', `/v1/orders/${orderId}/payment-links`, body, { headers });
  assert.equal(first.status, 201);
  assert.deepEqual(again.body, first.body, 'the retry answers the same link');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal((await h.store.storage.read.listPaymentLinks(orderId)).length, 1, 'no second link');
  const token = first.body.url.split('/pay/')[1];
  const stored = await h.store.storage.db.selectFrom('idempotency_keys').select('response_body').execute();
  assert.ok(stored.length > 0);
  assert.equal(
    stored.some((r) => (r.response_body ?? '').includes(token)),
    false,
    'the token is not in the idempotency store',
  );
});

test('two concurrent link creations leave exactly one active link, and the database refuses a second', async () => {
  const orderId = await unpaidOrder();
  const made = await Promise.all(
    Array.from({ length: 8 }, () => h.api('POST', `/v1/orders/${orderId}/payment-links`, { expires_at: inDays(2) })),
  );
  assert.deepEqual(
    made.map((r) => r.status),
    Array(8).fill(201),
    JSON.stringify(made.map((r) => r.body)),
  );
  const links = await h.store.storage.read.listPaymentLinks(orderId);
  assert.equal(links.length, 8);
  assert.equal(links.filter((l) => l.status === 'active').length, 1);
  const timeline = (await h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data;
  assert.equal(timeline.filter((e: { kind: string }) => e.kind === 'payment_link.revoked').length, 7);

  // Past the code, straight to storage: the unique partial index holds the rule.
  const active = links.find((l) => l.status === 'active')!;
  const second: PaymentLink = { ...active, id: `plk_direct_${Date.now()}` };
  await assert.rejects(h.store.storage.transaction((tx) => tx.insertPaymentLink(second, `hash-${second.id}`)));
  assert.equal((await h.store.storage.read.listPaymentLinks(orderId)).filter((l) => l.status === 'active').length, 1);
});

test('a late payment through a revoked link is applied and opens a task; the revoked page takes no money', async () => {
  const orderId = await unpaidOrder();
  const first = (await h.api('POST', `/v1/orders/${orderId}/payment-links`, { expires_at: inDays(1) })).body;
  await payThrough(first.url);
  const [attempt] = await h.store.storage.read.listAttempts(orderId);
  const second = await h.api('POST', `/v1/orders/${orderId}/payment-links`, {
    expires_at: inDays(1),
    reason: 'customer asked again',
  });
  assert.equal(second.status, 201);

  const revoked = await page(first.url);
  assert.equal(revoked.status, 410);
  assert.match(revoked.text, /replaced or withdrawn/);
  assert.equal((await page(first.url, 'POST')).status, 410);
  assert.equal((await h.store.storage.read.listAttempts(orderId)).length, 1, 'a revoked link starts no payment');

  // The customer had the old page open and pays there after all.
  await payOpenAttempt(orderId, attempt!.id);
  const late = await tasks(orderId, 'paid_via_inactive_link');
  assert.equal(late.length, 1);
  assert.match(late[0]!.reason, /after it was revoked/);
  const o = await order(orderId);
  assert.deepEqual(
    [o.status, o.payment_status],
    ['on_hold', 'paid'],
    'the money is recorded; a person looks before fulfilment',
  );
  assert.equal((await page(second.body.url)).status, 410, 'the order owes nothing now: the newer link takes nothing');
  const revokedLink = (await order(orderId)).payment_links[0];
  assert.deepEqual([revokedLink.status, revokedLink.payment_id], ['revoked', attempt!.id]);
});

test('an expired link shows a clear page and takes no money; a payment started before expiry and paid after it opens a task', async () => {
  const orderId = await unpaidOrder();
  const link = (await h.api('POST', `/v1/orders/${orderId}/payment-links`, { expires_at: inDays(1) })).body;
  await payThrough(link.url);
  const [attempt] = await h.store.storage.read.listAttempts(orderId);

  await later(2 * 86_400_000, async () => {
    const expired = await page(link.url);
    assert.equal(expired.status, 410);
    assert.match(expired.text, /expired/);
    assert.equal((await page(link.url, 'POST')).status, 410);
    assert.equal((await h.store.storage.read.listAttempts(orderId)).length, 1, 'an expired link starts no payment');
    assert.equal((await order(orderId)).payment_links[0].status, 'expired');
    await payOpenAttempt(orderId, attempt!.id);
  });
  assert.equal((await tasks(orderId, 'paid_via_inactive_link')).length, 1);
  const [paidLink] = (await order(orderId)).payment_links;
  assert.deepEqual(
    [paidLink.status, paidLink.payment_id],
    ['paid', attempt!.id],
    'the link shows the payment that came through it',
  );
});

test('links are refused where they would ask for the wrong money', async () => {
  const orderId = await unpaidOrder(20000);
  const post = (body: unknown) => h.api('POST', `/v1/orders/${orderId}/payment-links`, body);
  assert.equal((await post({ expires_at: '2001-01-01T00:00:00Z' })).body.code, 'expires_at_invalid');
  assert.equal((await post({ expires_at: inDays(400) })).body.code, 'expires_at_invalid');
  const above = await post({ expires_at: inDays(1), amount: 20001 });
  assert.deepEqual(
    [above.status, above.body.code, above.body.details.outstanding],
    [409, 'amount_above_outstanding', 20000],
  );
  assert.equal((await post({ amount: 100 })).status, 400, 'expires_at is required');
  assert.equal(
    (await post({ expires_at: inDays(1), payment_method_id: 'pm_nope' })).body.code,
    'payment_method_refused',
  );
  assert.equal((await h.store.storage.read.listPaymentLinks(orderId)).length, 0, 'no refusal wrote anything');

  const { orderId: paid } = await paidOrder(h);
  const nothing = await h.api('POST', `/v1/orders/${paid}/payment-links`, { expires_at: inDays(1) });
  assert.deepEqual([nothing.status, nothing.body.code], [409, 'nothing_to_collect']);

  const unknown = await page(`${h.url}/pay/${'x'.repeat(43)}`);
  assert.equal(unknown.status, 404);
  assert.equal((await page(`${h.url}/pay/short`)).status, 400);

  // Canceling the order revokes its link.
  const link = (await post({ expires_at: inDays(1) })).body;
  assert.equal((await h.api('POST', `/v1/orders/${orderId}/cancel`, { reason: 'customer changed mind' })).status, 200);
  assert.equal((await page(link.url)).status, 410);
  assert.equal((await order(orderId)).payment_links[0].status, 'revoked');
});

test('adjustments settle against what was paid: a fall while a link is open shrinks the link, a larger fall refunds only the surplus', async () => {
  const { orderId } = await paidOrder(h); // 1500.00 paid
  const rise = await h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'fee_change',
    amount_delta: 5000,
    reason: 'express delivery',
  });
  assert.equal(rise.body.payment_link.amount, 5000);
  const fall = await h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'fee_change',
    amount_delta: -2000,
    reason: 'cheaper courier',
  });
  assert.equal(fall.body.refund, null, 'the customer paid none of the rise: nothing to refund');
  assert.equal(fall.body.payment_link.amount, 3000);
  assert.equal((await page(rise.body.payment_link.url)).status, 410, 'the link for the old amount is revoked');
  const fallMore = await h.api(
    'POST',
    `/v1/orders/${orderId}/adjustments`,
    { kind: 'manual_price', amount_delta: -5000, reason: 'price match' },
    { key: h.adminKey },
  );
  assert.equal(fallMore.status, 201, JSON.stringify(fallMore.body));
  assert.equal(fallMore.body.payment_link, null);
  assert.equal(fallMore.body.refund.amount, 2000, 'only what was paid beyond the new amount goes back');
  const o = await order(orderId);
  assert.deepEqual([o.original_amount, o.amount, o.outstanding_amount], [150000, 148000, 0]);
  assert.deepEqual(
    o.payment_links.map((l: { status: string }) => l.status),
    ['revoked', 'revoked'],
  );

  // A goodwill refund gives money back without making the customer owe it: no link to collect it.
  const { orderId: other } = await paidOrder(h);
  assert.equal(
    (await h.api('POST', `/v1/orders/${other}/refunds`, { amount: 1000, reason: 'goodwill' }, { key: h.adminKey }))
      .status,
    201,
  );
  assert.equal(
    (await h.api('POST', `/v1/orders/${other}/payment-links`, { expires_at: inDays(1) })).body.code,
    'nothing_to_collect',
  );
});

test('support revokes a link by hand; the timeline shows actor, amount and reason', async () => {
  const orderId = await unpaidOrder(12345);
  const link = (
    await h.api('POST', `/v1/orders/${orderId}/payment-links`, {
      expires_at: inDays(1),
      amount: 10000,
      reason: 'first instalment',
    })
  ).body;
  const r = await h.api(
    'POST',
    `/v1/payment-links/${link.id}/revoke`,
    { reason: 'sent to the wrong address' },
    { key: h.adminKey },
  );
  assert.deepEqual([r.status, r.body.status], [200, 'revoked']);
  assert.equal(
    (await h.api('POST', `/v1/payment-links/${link.id}/revoke`, { reason: 'again' })).body.status,
    'revoked',
    'revoking twice changes nothing',
  );
  assert.equal((await h.api('POST', '/v1/payment-links/plk_nope/revoke', { reason: 'x' })).status, 404);
  const timeline = (await h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data;
  const created = timeline.find((e: { kind: string }) => e.kind === 'payment_link.created');
  assert.deepEqual(
    [created.actor, created.amount, created.currency, created.reason],
    ['store', 10000, 'AMD', 'first instalment'],
  );
  const revoked = timeline.filter((e: { kind: string }) => e.kind === 'payment_link.revoked');
  assert.deepEqual(
    revoked.map((e: { actor: string; reason: string }) => [e.actor, e.reason]),
    [['api_key:test-admin', 'sent to the wrong address']],
  );
});
