import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paidOrder } from '../support/after-payment.js';
import { AdminClient } from '../support/admin-client.js';
import { newReference, startHarness, type Harness } from '../support/harness.js';

type Client = AdminClient & { email: string };

const NO_REVIEW = {
  amount_above: {},
  max_orders_per_email: null,
  max_orders_per_ip: null,
  blocked_emails: [],
  blocked_domains: [],
};

/** Visible text of the page's timeline entries. */
const entries = (page: string) =>
  [...page.matchAll(/<li data-testid="timeline-entry" data-kind="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => ({
    kind: m[1]!,
    text: m[2]!,
  }));

describe('admin order page and its actions', () => {
  let h: Harness;
  let support: Client;
  let accounting: Client;
  let admin: Client;
  before(async () => {
    h = await startHarness();
    [support, accounting, admin] = await Promise.all([
      AdminClient.signedIn(h, 'support'),
      AdminClient.signedIn(h, 'accounting'),
      AdminClient.signedIn(h, 'admin'),
    ]);
  });
  after(() => h.close());

  const order = async (id: string) => (await h.api('GET', `/v1/orders/${id}`)).body;
  const timeline = async (id: string) =>
    (await h.api('GET', `/v1/orders/${id}/timeline`)).body.data as {
      kind: string;
      actor: string;
      amount: number | null;
      reason: string | null;
    }[];
  const unpaidOrder = async (extra: Record<string, unknown> = {}) => {
    const r = await h.api('POST', '/v1/orders', {
      reference: newReference('AD'),
      currency: 'AMD',
      amount: 1500,
      customer: { email: 'buyer@example.com', name: 'Ann' },
      ...extra,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };

  it('shows a paid order: amounts, every track, the payment and the timeline', async () => {
    const { orderId, reference } = await paidOrder(h, { amount: 1500 });
    const page = await support.get(`/admin/orders/${orderId}`);
    assert.equal(page.status, 200);
    assert.match(page.html, new RegExp(`<h1>Order ${reference}</h1>`));
    assert.match(page.html, /data-testid="amount-original">15\.00 AMD</);
    assert.match(page.html, /data-testid="amount-current">15\.00 AMD</);
    assert.match(page.html, /data-testid="amount-paid">15\.00 AMD</);
    assert.match(page.html, /data-testid="amount-outstanding">0\.00 AMD</);
    assert.match(page.html, /data-testid="track-payment"><span class="badge tone-ok" data-status="paid">paid</);
    assert.match(
      page.html,
      /data-testid="track-order"><span class="badge tone-info" data-status="processing">processing</,
    );
    assert.match(page.html, /data-testid="customer">[\s\S]*Ann[\s\S]*buyer@example\.com/);
    assert.match(page.html, /data-testid="check-payment"/, 'support may check at the acquirer');
    assert.match(page.html, /data-testid="refund-form"/);
    assert.doesNotMatch(page.html, /data-testid="cancel-form"/, 'a paid order is not canceled, it is refunded');
    assert.match(page.html, new RegExp(`href="/admin/tasks\\?order_id=${orderId}"`));
    assert.match(page.html, /data-testid="timeline"/);
    const lines = entries(page.html);
    assert.equal(lines.length, (await timeline(orderId)).length, 'every timeline event is on the page');
    const paid = lines.find((l) => l.kind === 'payment.succeeded');
    assert.ok(paid, 'the payment is on the timeline');
    assert.match(paid.text, /provider/);
    assert.match(paid.text, /15\.00 AMD/);
  });

  it('refunds part of a paid order, then shows it in the refunds and the timeline; the API sees the same', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    await support.get(`/admin/orders/${orderId}`);
    const r = await support.post(`/admin/orders/${orderId}/refunds`, {
      amount: '5.00',
      reason: 'one mug arrived chipped',
    });
    assert.equal(r.status, 303, r.html);
    assert.equal(
      r.location,
      `/admin/orders/${orderId}?notice=refund_manual`,
      'the sandbox acquirer has no refund call: recorded for a payout by hand',
    );
    const page = await support.get(r.location!);
    assert.match(page.html, /class="notice" role="status">The refund was recorded/);
    assert.match(page.html, /data-testid="refunds">[\s\S]*5\.00 AMD[\s\S]*manual[\s\S]*one mug arrived chipped/);
    assert.match(page.html, /data-testid="amount-refundable">10\.00 AMD</);
    const requested = entries(page.html).find((l) => l.kind === 'refund.requested');
    assert.ok(requested);
    assert.match(requested.text, new RegExp(`user:${support.email.replace(/[.+]/g, '\\$&')}`));
    assert.match(requested.text, /5\.00 AMD/);
    assert.match(requested.text, /Reason: one mug arrived chipped/);

    const o = await order(orderId);
    assert.deepEqual(
      o.refunds.map((x: { amount: number; status: string; actor: string }) => [x.amount, x.status, x.actor]),
      [[500, 'manual', `user:${support.email}`]],
    );
    const t = (await timeline(orderId)).find((e) => e.kind === 'refund.requested')!;
    assert.deepEqual([t.actor, t.amount, t.reason], [`user:${support.email}`, 500, 'one mug arrived chipped']);

    // Accounting confirms the payout by hand from the same page.
    const acc = await accounting.get(`/admin/orders/${orderId}`);
    assert.match(acc.html, /data-testid="confirm-refund"/);
    const confirm = await accounting.post(`/admin/orders/${orderId}/refunds/${o.refunds[0].id}/confirm`, {
      note: 'bank transfer',
    });
    assert.equal(confirm.status, 303, confirm.html);
    assert.equal((await order(orderId)).payment_status, 'partially_refunded');
  });

  it('refuses a refund above what is refundable (409) or not a decimal (400), and changes nothing', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    await support.get(`/admin/orders/${orderId}`);
    const tooMuch = await support.post(`/admin/orders/${orderId}/refunds`, { amount: '15.01', reason: 'too much' });
    assert.equal(tooMuch.status, 409);
    assert.match(tooMuch.html, /data-code="refund_exceeds_refundable"/);
    assert.match(tooMuch.html, /Nothing was changed/);
    const comma = await support.post(`/admin/orders/${orderId}/refunds`, { amount: '5,00', reason: 'comma' });
    assert.equal(comma.status, 400);
    assert.match(comma.html, /not a decimal/);
    const tooFine = await support.post(`/admin/orders/${orderId}/refunds`, {
      amount: '5.001',
      reason: 'three decimals',
    });
    assert.equal(tooFine.status, 400);
    const noReason = await support.post(`/admin/orders/${orderId}/refunds`, { amount: '5.00', reason: '  ' });
    assert.equal(noReason.status, 400);
    const o = await order(orderId);
    assert.deepEqual(o.refunds, []);
    assert.equal(o.payment_status, 'paid');
    assert.equal(
      (await timeline(orderId)).some((e) => e.kind.startsWith('refund.')),
      false,
    );
  });

  it('refuses a refund post without the CSRF token (403) and creates no refund', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    await support.get(`/admin/orders/${orderId}`);
    const r = await support.post(
      `/admin/orders/${orderId}/refunds`,
      { amount: '5.00', reason: 'forged' },
      { csrf: null },
    );
    assert.equal(r.status, 403);
    assert.match(r.html, /data-testid="csrf-refused"/);
    const forged = await support.post(
      `/admin/orders/${orderId}/refunds`,
      { amount: '5.00', reason: 'forged' },
      { csrf: accounting.csrf },
    );
    assert.equal(forged.status, 403, "another person's token is refused too");
    assert.deepEqual((await order(orderId)).refunds, []);
  });

  it('does the work of a form sent twice once: a double click on Refund pays out one refund', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    const url = `/admin/orders/${orderId}/refunds`;
    const onceOf = (html: string) => /data-testid="refund-form"[\s\S]*?name="_once" value="([^"]+)"/.exec(html)?.[1];
    const once = onceOf((await support.get(`/admin/orders/${orderId}`)).html);
    assert.ok(once, 'the refund form carries a one-time id');
    const fields = { amount: '5.00', reason: 'double click', _once: once };
    // Two at once (a double click), then once more (the answer reloaded, the browser resending).
    const [a, b] = await Promise.all([support.post(url, fields), support.post(url, fields)]);
    const c = await support.post(url, fields);
    assert.deepEqual([a.status, b.status, c.status], [303, 303, 303], a.html + b.html + c.html);
    assert.deepEqual([b.location, c.location], [a.location, a.location], 'each repeat goes where the first went');
    // Sent back with another amount (edited after it went through): not done, and said so.
    const edited = await support.post(url, { ...fields, amount: '7.00' });
    assert.equal(edited.status, 409, edited.html);
    assert.match(edited.html, /data-testid="form-already-sent"/);
    let o = await order(orderId);
    assert.equal(o.refunds.length, 1, 'one refund');
    assert.equal((await timeline(orderId)).filter((e) => e.kind === 'refund.requested').length, 1);
    // The same id on another form is the same form sent again: done nothing, said so.
    const check = `/admin/orders/${orderId}/payments/${o.payments[0].id}/check`;
    const elsewhere = await support.post(check, { _once: once });
    assert.equal(elsewhere.status, 409, elsewhere.html);
    assert.match(elsewhere.html, /data-testid="form-already-sent"/);
    // A refused form did nothing, so the same page may be corrected and sent again.
    const again = onceOf((await support.get(`/admin/orders/${orderId}`)).html)!;
    assert.notEqual(again, once, 'each page gives its forms new ids');
    const refused = await support.post(url, { amount: '99.00', reason: 'too much', _once: again });
    assert.equal(refused.status, 409);
    const corrected = await support.post(url, { amount: '1.00', reason: 'corrected', _once: again });
    assert.equal(corrected.status, 303, corrected.html);
    o = await order(orderId);
    assert.deepEqual(o.refunds.map((x: { amount: number }) => x.amount).sort(), [100, 500]);
    // The janitor drops the one-time ids after a day.
    const user = (await h.deps.storage.read.findUserByEmail(support.email.toLowerCase()))!;
    const claims = async () =>
      (await Promise.all([once, again].map((x) => h.deps.storage.read.getIdempotency(`admin:${user.id}:${x}`)))).filter(
        Boolean,
      ).length;
    assert.equal(await claims(), 2);
    await h.deps.storage.transaction((tx) => tx.pruneSignIns(new Date(Date.now() + 60_000).toISOString()));
    assert.equal(await claims(), 0);
  });

  it('cancels an unpaid order with an open payment at the acquirer', async () => {
    const orderId = await unpaidOrder();
    const pay = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: h.paymentMethodId });
    assert.equal(pay.status, 201);
    assert.equal((await fetch(pay.body.next_step.url)).status, 200, 'the customer opened the payment page');
    const page = await support.get(`/admin/orders/${orderId}`);
    assert.match(page.html, /data-testid="cancel-form"/);
    assert.doesNotMatch(page.html, /data-testid="refund-form"/, 'nothing to refund');
    const r = await support.post(`/admin/orders/${orderId}/cancel`, { reason: 'customer called' });
    assert.equal(r.status, 303, r.html);
    assert.equal(r.location, `/admin/orders/${orderId}?notice=canceled`);
    const o = await order(orderId);
    assert.equal(o.status, 'canceled');
    assert.equal(o.payments[0].status, 'canceled');
    const events = await timeline(orderId);
    assert.equal(events.find((e) => e.kind === 'order.cancel_requested')?.actor, `user:${support.email}`);
    const changed = events.filter((e) => e.kind === 'order.status_changed').at(-1)!;
    assert.deepEqual([changed.actor, changed.reason], [`user:${support.email}`, 'customer called']);
    const after = await support.get(r.location!);
    assert.match(after.html, /data-testid="track-order"><span class="badge tone-off" data-status="canceled">canceled</);
    assert.match(after.html, /The order was canceled\./);
  });

  it('says a cancel the acquirer refused is on the timeline, and does not send that form again', async () => {
    const orderId = await unpaidOrder();
    const pay = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: h.paymentMethodId });
    assert.equal((await fetch(pay.body.next_step.url)).status, 200);
    h.sandbox.sandbox.setSwitches(pay.body.provider_ref, { cancelError: 'error#1234' });
    const once = /data-testid="cancel-form"[\s\S]*?name="_once" value="([^"]+)"/.exec(
      (await support.get(`/admin/orders/${orderId}`)).html,
    )?.[1];
    assert.ok(once);
    const refused = await support.post(`/admin/orders/${orderId}/cancel`, { reason: 'customer called', _once: once });
    assert.equal(refused.status, 409, refused.html);
    assert.match(refused.html, /The attempt and its outcome are on the order’s timeline/);
    // The acquirer was asked and a task opened: the same form is spent, not a second call.
    const again = await support.post(`/admin/orders/${orderId}/cancel`, { reason: 'customer called', _once: once });
    assert.equal(again.status, 409);
    assert.match(again.html, /data-testid="form-already-sent"/);
    const tasks = await h.deps.storage.read.listTasks({ orderId, limit: 10 });
    assert.deepEqual(
      tasks.map((t) => t.kind),
      ['cancel_failed'],
    );
    assert.equal((await order(orderId)).status, 'pending_payment');
  });

  it('refuses accounting a cancel or an adjustment (403) and hides those forms; the order is unchanged', async () => {
    const unpaid = await unpaidOrder();
    const { orderId: paid } = await paidOrder(h, { amount: 1500 });
    const page = await accounting.get(`/admin/orders/${paid}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="refund-form"/, 'accounting refunds');
    assert.doesNotMatch(page.html, /data-testid="adjust-form"|data-testid="link-form"/);
    assert.doesNotMatch((await accounting.get(`/admin/orders/${unpaid}`)).html, /data-testid="cancel-form"/);
    const before = [await order(unpaid), await order(paid)];
    const cancel = await accounting.post(`/admin/orders/${unpaid}/cancel`, { reason: 'not mine to do' });
    assert.equal(cancel.status, 403);
    assert.match(cancel.html, /data-testid="forbidden"/);
    const adjust = await accounting.post(`/admin/orders/${paid}/adjustments`, {
      kind: 'fee_change',
      amount_delta: '-2.00',
      reason: 'not mine to do',
    });
    assert.equal(adjust.status, 403);
    assert.deepEqual([await order(unpaid), await order(paid)], before);
  });

  it('shows a new payment link once, on the page that made it, and never on the order page; then revokes it', async () => {
    const orderId = await unpaidOrder();
    await support.get(`/admin/orders/${orderId}`);
    const bad = await support.post(`/admin/orders/${orderId}/payment-links`, {
      amount: '20.00',
      expires_in_hours: '24',
    });
    assert.equal(bad.status, 409, 'never more than is outstanding');
    const r = await support.post(`/admin/orders/${orderId}/payment-links`, {
      amount: '',
      expires_in_hours: '24',
      reason: 'sent by phone',
    });
    assert.equal(r.status, 200, r.html);
    const url = /data-testid="link-url">([^<]+)</.exec(r.html)?.[1] ?? '';
    assert.ok(url.startsWith(`${h.url}/pay/`), r.html);
    assert.match(r.html, /it is not shown again/);
    const token = url.slice(url.lastIndexOf('/') + 1);
    assert.equal((await fetch(url)).status, 200, 'the link works for the customer');

    const page = await support.get(`/admin/orders/${orderId}`);
    assert.equal(page.html.includes(token), false, 'the order page never shows the token');
    assert.match(page.html, /data-testid="payment-links">[\s\S]*15\.00 AMD[\s\S]*active[\s\S]*sent by phone/);
    const links = (await order(orderId)).payment_links;
    assert.deepEqual(
      links.map((l: { amount: number; status: string }) => [l.amount, l.status]),
      [[1500, 'active']],
    );
    assert.equal(
      (await timeline(orderId)).find((e) => e.kind === 'payment_link.created')?.actor,
      `user:${support.email}`,
    );

    const revoke = await support.post(`/admin/orders/${orderId}/payment-links/${links[0].id}/revoke`, {
      reason: 'customer paid by card in shop',
    });
    assert.equal(revoke.status, 303, revoke.html);
    assert.equal(revoke.location, `/admin/orders/${orderId}?notice=link_revoked`);
    assert.equal((await order(orderId)).payment_links[0].status, 'revoked');
    assert.notEqual((await fetch(url)).status, 200, 'a revoked link takes no money');
  });

  it('approves an order held for review, only while the review is pending', async () => {
    const rules = { ...NO_REVIEW, amount_above: { AMD: 500000 } };
    assert.equal((await h.api('PUT', '/v1/settings/review', rules, { key: h.adminKey })).status, 200);
    try {
      const { orderId } = await paidOrder(h, { amount: 600000 });
      assert.deepEqual([(await order(orderId)).status, (await order(orderId)).review_status], ['on_hold', 'pending']);
      const page = await support.get(`/admin/orders/${orderId}`);
      assert.match(page.html, /data-testid="review-form"/);
      const r = await support.post(`/admin/orders/${orderId}/review`, {
        decision: 'approve',
        note: 'called the customer',
      });
      assert.equal(r.status, 303, r.html);
      assert.equal(r.location, `/admin/orders/${orderId}?notice=approved`);
      const o = await order(orderId);
      assert.deepEqual([o.status, o.review_status], ['processing', 'approved']);
      assert.equal((await timeline(orderId)).find((e) => e.kind === 'review.approved')?.actor, `user:${support.email}`);
      const after = await support.get(`/admin/orders/${orderId}`);
      assert.doesNotMatch(after.html, /data-testid="review-form"/);
      const again = await support.post(`/admin/orders/${orderId}/review`, {
        decision: 'reject',
        note: 'changed my mind',
      });
      assert.equal(again.status, 409, 'the page decides a pending review only');
      assert.equal((await order(orderId)).status, 'processing');
    } finally {
      await h.api('PUT', '/v1/settings/review', NO_REVIEW, { key: h.adminKey });
    }
  });

  it('adjusts a paid order down (a refund) and up (a payment link shown once)', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    await support.get(`/admin/orders/${orderId}`);
    const down = await support.post(`/admin/orders/${orderId}/adjustments`, {
      kind: 'fee_change',
      amount_delta: '-2.00',
      reason: 'free delivery after all',
    });
    assert.equal(down.status, 303, down.html);
    assert.equal(down.location, `/admin/orders/${orderId}?notice=adjusted_refund`);
    let o = await order(orderId);
    assert.equal(o.amount, 1300);
    assert.deepEqual(
      o.refunds.map((r: { amount: number }) => r.amount),
      [200],
    );
    const up = await support.post(`/admin/orders/${orderId}/adjustments`, {
      kind: 'replacement',
      amount_delta: '3.00',
      reason: 'bigger mug',
    });
    assert.equal(up.status, 200, up.html);
    assert.match(up.html, /data-testid="link-url">http/);
    o = await order(orderId);
    assert.equal(o.amount, 1600);
    assert.deepEqual(
      o.payment_links.map((l: { amount: number; status: string }) => [l.amount, l.status]),
      [[300, 'active']],
    );
    const manual = await support.post(`/admin/orders/${orderId}/adjustments`, {
      kind: 'manual_price',
      amount_delta: '1.00',
      reason: 'support may not',
    });
    assert.equal(manual.status, 403, 'a manual price needs an admin');
    assert.equal((await order(orderId)).amount, 1600);
  });

  it('records delivery: a shipment, the courier hand-over, delivered with proof', async () => {
    const { orderId } = await paidOrder(h, { amount: 1500 });
    const page = await support.get(`/admin/orders/${orderId}`);
    assert.match(page.html, /data-testid="shipment-form"/);
    const start = await support.post(`/admin/orders/${orderId}/shipments`, {
      courier: 'FastPost',
      courier_ref: 'FP-9',
    });
    assert.equal(start.status, 303, start.html);
    const shipmentId = (await order(orderId)).shipments[0].id;
    await support.get(`/admin/orders/${orderId}`);
    const handed = await support.post(`/admin/orders/${orderId}/shipments/${shipmentId}/events`, {
      status: 'handed_to_courier',
      at: '2026-11-23T10:00',
    });
    assert.equal(handed.status, 303, handed.html);
    const wrongProof = await support.post(`/admin/orders/${orderId}/shipments/${shipmentId}/events`, {
      status: 'delivered',
      proof_kind: 'code',
      proof_reference: '',
    });
    assert.equal(wrongProof.status, 400);
    const delivered = await support.post(`/admin/orders/${orderId}/shipments/${shipmentId}/events`, {
      status: 'delivered',
      at: '2026-11-23T15:00',
      proof_kind: 'code',
      proof_reference: '4411',
    });
    assert.equal(delivered.status, 303, delivered.html);
    const o = await order(orderId);
    assert.equal(o.delivery_status, 'delivered');
    assert.deepEqual(o.shipments[0].proof, { at: '2026-11-23T15:00:00.000Z', kind: 'code', reference: '4411' });
    const after = await support.get(`/admin/orders/${orderId}`);
    assert.match(after.html, /data-testid="shipment-proof">Proof of delivery: code 4411/);
    const back = await support.post(`/admin/orders/${orderId}/shipments/${shipmentId}/events`, { status: 'packed' });
    assert.equal(back.status, 409, 'a delivered shipment is not packed again');
  });

  it('checks a payment at the acquirer by hand', async () => {
    const orderId = await unpaidOrder();
    const pay = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: h.paymentMethodId });
    await fetch(pay.body.next_step.url);
    await support.get(`/admin/orders/${orderId}`);
    const r = await support.post(`/admin/orders/${orderId}/payments/${pay.body.id}/check`, {});
    assert.equal(r.status, 303, r.html);
    assert.match(r.location!, /notice=checked/);
    assert.ok(
      (await timeline(orderId)).some((e) => e.actor === `user:${support.email}`),
      'the check is on the timeline',
    );
    const other = await support.post(`/admin/orders/${orderId}/payments/pay_nope/check`, {});
    assert.equal(other.status, 404);
  });

  it('answers 404 for an unknown order, on the page and on an action', async () => {
    const page = await support.get('/admin/orders/ord_does_not_exist');
    assert.equal(page.status, 404);
    assert.match(page.html, /data-testid="not-found"/);
    await admin.get('/admin/orders');
    const post = await admin.post('/admin/orders/ord_does_not_exist/cancel', { reason: 'x' });
    assert.equal(post.status, 404);
  });

  it('escapes HTML the store sent in a customer name or a line name', async () => {
    const orderId = await unpaidOrder({
      amount: undefined,
      lines: [{ sku: 'X<b>1', name: '<img src=x onerror=alert(1)>', quantity: 1, unit_amount: 1500 }],
      customer: { name: '<script>alert("hi")</script>', email: 'a@example.com' },
    });
    const page = await support.get(`/admin/orders/${orderId}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /&lt;script&gt;alert\(&quot;hi&quot;\)&lt;\/script&gt;/);
    assert.match(page.html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(page.html, /<script|<img|<b>/);
  });
});
