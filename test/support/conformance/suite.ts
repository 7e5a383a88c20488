import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConformanceDriver } from './driver.js';
import {
  callbackLog,
  comeBack,
  janitor,
  openSession,
  openTaskKinds,
  orderAndPayment,
  orderOf,
  startPayment,
  timelineKinds,
  type Session,
} from './session.js';
import { moneyFlows } from './suite-money.js';

/**
 * The flows every connector passes, over real HTTP, on the store DATABASE_URL names: start, pay,
 * callback or return, duplicates and reordering, forgery, mismatches, decline, status check,
 * unknown outcomes, janitor, return page, redaction (here), and cancel and refunds
 * (suite-money.ts). A connector's abilities decide which branch of a flow runs, never whether it runs.
 */
export function runConformance(driver: ConformanceDriver): void {
  describe(`conformance: ${driver.connector}`, () => {
    const ctx = {} as { s: Session };
    before(async () => {
      ctx.s = await openSession(driver);
    });
    after(async () => {
      await ctx.s.close();
    });
    paymentFlows(driver, ctx);
    moneyFlows(driver, ctx);
    test('no secret setting appears in any answer or in the callback log', async () => {
      const { s } = ctx;
      const list = await s.h.api('GET', '/v1/payment-methods', undefined, { key: s.h.adminKey });
      const pm = { body: list.body.data.find((m: { id: string }) => m.id === s.methodId) };
      const everything = JSON.stringify([list.body, await callbackLog(s)]);
      for (const secret of driver.secrets) assert.equal(everything.includes(secret), false, 'a secret leaked');
      assert.deepEqual(
        [...pm.body.abilities].sort(),
        [
          ...(driver.abilities.checkStatus ? ['check_status'] : []),
          ...(driver.abilities.cancel ? ['cancel'] : []),
          ...(driver.abilities.refund ? ['refund'] : []),
        ]
          .concat(pm.body.abilities.filter((a: string) => ['capture', 'void', 'fetch_report'].includes(a)))
          .sort(),
      );
    });
  });
}

function paymentFlows(driver: ConformanceDriver, ctx: { s: Session }) {
  test('a payment starts with the next step and the references the provider accepts', async () => {
    const { s } = ctx;
    const first = await orderAndPayment(s, driver);
    assert.equal(first.view.next_step.type, driver.nextStep);
    if (driver.nextStep === 'form_post') assert.equal(typeof first.view.next_step.fields, 'object');
    assert.equal(first.view.provider_payment_id !== null, driver.assignsId);
    if (driver.references === 'order') assert.equal(first.payment.providerRef, first.reference);
    else assert.match(first.payment.providerRef, /^\d+$/);
    // A second attempt of the same order gets a reference of its own.
    const second = await startPayment(s, first.orderId);
    assert.notEqual(second.payment.providerRef, first.payment.providerRef);
    // A store may send its customer to Settle's own next-step address instead of rendering it.
    const next = await fetch(`${s.h.url}/next/${second.paymentId}`, { redirect: 'manual' });
    if (driver.nextStep === 'redirect') assert.equal(next.headers.get('location'), second.payment.next.url);
    else assert.match(await next.text(), /<form id="next-step" method="post"/);
  });

  test('a paid payment is verified, applied once and shown as paid on the return page', async () => {
    const { s } = ctx;
    const p = await orderAndPayment(s, driver);
    const paid = await s.sandbox.pay(p.payment);
    const page = await comeBack(s, paid.returnUrl);
    const order = await orderOf(s, p.orderId);
    assert.equal(order.payment_status, 'paid');
    assert.equal(order.payments[0].status, 'succeeded');
    assert.equal(order.payments[0].verified_by, driver.verifiedBy);
    if (paid.returnUrl) assert.match(page, /data-testid="payment-status">Paid</);
    const kinds = await timelineKinds(s, p.orderId);
    assert.equal(kinds.filter((k) => k === 'payment.succeeded').length, 1);
    if (driver.confirmation === 'callback') {
      const logged = (await callbackLog(s)).filter((c) => c.payment_id === p.paymentId);
      assert.ok(logged.some((c) => c.outcome === 'applied'));
      if (driver.precheck) assert.ok(logged.some((c) => c.outcome === 'answered'));
    }
  });

  if (driver.confirmation === 'callback') {
    test('duplicate and stale callbacks move nothing more', async () => {
      const { s } = ctx;
      const p = await orderAndPayment(s, driver);
      s.sandbox.setSwitches(p.payment, { duplicate: true, staleAfter: true });
      await comeBack(s, (await s.sandbox.pay(p.payment)).returnUrl);
      s.sandbox.setSwitches(p.payment, {});
      const order = await orderOf(s, p.orderId);
      assert.equal(order.payments[0].status, 'succeeded');
      assert.equal((await timelineKinds(s, p.orderId)).filter((k) => k === 'payment.succeeded').length, 1);
      const logged = (await callbackLog(s)).filter((c) => c.payment_id === p.paymentId);
      const outcomes = logged.map((c) => c.outcome);
      // Each status is applied once; a provider that tells two on the way (T-Bank: AUTHORIZED,
      // then CONFIRMED) has one applied callback per status, never two of the same.
      const applied = logged.filter((c) => c.outcome === 'applied').map((c) => c.provider_status);
      assert.ok(applied.length >= 1 && new Set(applied).size === applied.length, applied.join());
      assert.ok(
        outcomes.some((o) => o === 'duplicate' || o === 'stale'),
        outcomes.join(),
      );
    });
  }

  if (driver.confirmation === 'callback' && driver.verifiedBy === 'status_check') {
    test('a trigger whose status check gets no answer is kept as received; the janitor applies it later', async () => {
      const { s } = ctx;
      const p = await orderAndPayment(s, driver);
      s.sandbox.setSwitches(p.payment, { apiHttpStatus: 502 });
      await comeBack(s, (await s.sandbox.pay(p.payment)).returnUrl);
      s.sandbox.setSwitches(p.payment, {});
      assert.equal((await orderOf(s, p.orderId)).payment_status, 'pending');
      const logged = (await callbackLog(s)).filter((c) => c.payment_id === p.paymentId);
      assert.ok(logged.length > 0 && logged.every((c) => c.outcome === 'received'), JSON.stringify(logged));
      assert.match(logged[0]!.reason, /janitor/);
      await janitor(s, { checkAfterMs: 0 });
      assert.equal((await orderOf(s, p.orderId)).payment_status, 'paid');
    });
  }

  test('a forged callback is refused and changes nothing', async () => {
    const { s } = ctx;
    const p = await orderAndPayment(s, driver);
    const status = await s.sandbox.forge(p.payment);
    const order = await orderOf(s, p.orderId);
    assert.equal(order.payment_status, 'pending');
    assert.notEqual(order.payments[0].status, 'succeeded');
    const [logged] = await callbackLog(s);
    if (driver.unsignedTriggers) {
      // Nothing to verify: a trigger like any other, whose status check says the payment is open.
      assert.equal(status, 200);
      assert.equal(logged?.verified, false);
      // What it moved, it moved by the status check's answer ("registered"), never by its own word.
      assert.equal(order.payments[0].verified_by ?? 'status_check', 'status_check');
      return;
    }
    assert.ok(status >= 400 && status < 500, `HTTP ${status}`);
    assert.equal(logged?.outcome, 'rejected');
  });

  for (const field of ['amount', 'currency'] as const) {
    if (field === 'currency' && !driver.otherCurrency) continue;
    test(`a payment reported in another ${field} is held for a person, never taken as paid`, async () => {
      const { s } = ctx;
      const p = await orderAndPayment(s, driver);
      s.sandbox.setSwitches(
        p.payment,
        field === 'amount' ? { reportAmount: p.payment.amount - 100 } : { reportCurrency: driver.otherCurrency! },
      );
      await comeBack(s, (await s.sandbox.pay(p.payment)).returnUrl);
      s.sandbox.setSwitches(p.payment, {});
      const order = await orderOf(s, p.orderId);
      if (driver.precheck) {
        // The pre-check asked about another amount: refused before any money moved.
        assert.notEqual(order.payments[0].status, 'succeeded');
        const asked = (await callbackLog(s)).filter((c) => c.payment_id === p.paymentId);
        assert.ok(asked.some((c) => c.outcome === 'answered' && /refused/.test(c.reason)));
        return;
      }
      assert.equal(order.status, 'on_hold');
      assert.ok((await openTaskKinds(s, p.orderId)).includes(`${field}_mismatch`));
    });
  }

  test('a declined payment is not paid', async () => {
    const { s } = ctx;
    const p = await orderAndPayment(s, driver);
    await comeBack(s, (await s.sandbox.decline(p.payment)).returnUrl);
    const order = await orderOf(s, p.orderId);
    assert.notEqual(order.payment_status, 'paid');
    if (driver.declineTold) {
      assert.equal(order.payments[0].status, 'failed');
      assert.equal(order.status, 'payment_failed');
    } else assert.equal(order.status, 'pending_payment');
  });

  test('a lost confirmation is found by the status check and by the janitor', async () => {
    const { s } = ctx;
    const p = await orderAndPayment(s, driver);
    const q = await orderAndPayment(s, driver);
    for (const x of [p, q]) {
      s.sandbox.setSwitches(x.payment, { drop: true });
      await s.sandbox.pay(x.payment); // the customer never comes back
      await s.sandbox.idle();
      s.sandbox.setSwitches(x.payment, {});
    }
    const check = await s.h.api('POST', `/v1/orders/${p.orderId}/payments/${p.paymentId}/check`, {});
    if (!driver.abilities.checkStatus) {
      assert.equal(check.status, 422);
      assert.equal(check.body.code, 'check_not_supported');
      // Without a status check nobody can tell; past its lifetime the attempt expires.
      await janitor(s, { checkAfterMs: 0, lifetimeMs: 0 });
      assert.equal((await orderOf(s, q.orderId)).payments[0].status, 'expired');
      return;
    }
    assert.equal(check.status, 200, JSON.stringify(check.body));
    const checked = await orderOf(s, p.orderId);
    assert.equal(checked.payment_status, 'paid');
    assert.equal(checked.payments[0].verified_by, 'status_check');
    await janitor(s, { checkAfterMs: 0 });
    assert.equal((await orderOf(s, q.orderId)).payment_status, 'paid');
  });

  if (driver.abilities.checkStatus) {
    for (const sw of [{ timeoutMs: 3000 }, { apiHttpStatus: 502 }]) {
      test(`a status check with no usable answer (${Object.keys(sw)[0]}) changes nothing`, async () => {
        const { s } = ctx;
        const p = await orderAndPayment(s, driver);
        s.sandbox.setSwitches(p.payment, { drop: true });
        await s.sandbox.pay(p.payment);
        await s.sandbox.idle();
        s.sandbox.setSwitches(p.payment, sw);
        const check = await s.h.api('POST', `/v1/orders/${p.orderId}/payments/${p.paymentId}/check`, {});
        s.sandbox.setSwitches(p.payment, {});
        assert.ok([502, 503].includes(check.status), `HTTP ${check.status}`);
        assert.match(check.body.code, /^provider_(unreachable|answer_invalid)$/);
        const order = await orderOf(s, p.orderId);
        assert.equal(order.payment_status, 'pending');
        const report = await janitor(s, { checkAfterMs: 0 });
        assert.ok(report);
        assert.equal((await orderOf(s, p.orderId)).payment_status, 'paid');
      });
    }
  }

  if (driver.assignsId) {
    test('a provider that fails at the start leaves a failed attempt and a clear error', async () => {
      const { s } = ctx;
      s.sandbox.setSwitches('*', { apiHttpStatus: 503 });
      const reference = `CF-DOWN-${Date.now()}`;
      const order = await s.h.api('POST', '/v1/orders', {
        reference,
        currency: driver.currency,
        lines: [{ sku: 'TEA', name: 'Tea', quantity: 1, unit_amount: 5000 }],
      });
      const res = await s.h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: s.methodId });
      s.sandbox.setSwitches('*', {});
      assert.ok([502, 503].includes(res.status), `HTTP ${res.status}`);
      const after = await orderOf(s, order.body.id);
      assert.equal(after.payments[0].status, 'failed');
      assert.notEqual(after.payment_status, 'paid');
    });
  }
}
