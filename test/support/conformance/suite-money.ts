import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sleep } from '../async.js';
import type { ConformanceDriver } from './driver.js';
import {
  callbackLog,
  comeBack,
  janitor,
  openTaskKinds,
  orderAndPayment,
  orderOf,
  type Session,
  type Started,
} from './session.js';

/** Cancel and refunds: what moves money after the payment, through the provider where it can. */
export function moneyFlows(driver: ConformanceDriver, ctx: { s: Session }) {
  const paidOrder = async (amount = 150000): Promise<Started> => {
    const p = await orderAndPayment(ctx.s, driver, amount);
    await comeBack(ctx.s, (await ctx.s.sandbox.pay(p.payment)).returnUrl);
    assert.equal((await orderOf(ctx.s, p.orderId)).payment_status, 'paid');
    return p;
  };
  const refund = (p: Started, amount: number) =>
    ctx.s.h.api(
      'POST',
      `/v1/orders/${p.orderId}/refunds`,
      { amount, reason: 'conformance' },
      { key: ctx.s.h.adminKey },
    );

  test('an unpaid order is canceled, at the provider where it has a cancel call', async () => {
    const { s } = ctx;
    const p = await orderAndPayment(s, driver);
    await s.sandbox.open(p.payment);
    const res = await s.h.api('POST', `/v1/orders/${p.orderId}/cancel`, { reason: 'customer changed their mind' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'canceled');
    if (driver.abilities.cancel) {
      assert.equal(s.sandbox.state(p.payment)?.status, 'canceled');
      assert.equal((await orderOf(s, p.orderId)).payments[0].status, 'canceled');
    } else if (driver.precheck) {
      // No cancel call: the provider still has the bill, so its pre-check is refused.
      await comeBack(s, (await s.sandbox.pay(p.payment)).returnUrl);
      assert.notEqual((await orderOf(s, p.orderId)).payment_status, 'paid');
      const asked = (await callbackLog(s)).filter((c) => c.payment_id === p.paymentId);
      assert.ok(asked.some((c) => c.outcome === 'answered' && /refused/.test(c.reason)));
    }
  });

  if (driver.abilities.cancel) {
    test('a cancel with no usable answer keeps the order open until the janitor settles it', async () => {
      const { s } = ctx;
      const p = await orderAndPayment(s, driver);
      await s.sandbox.open(p.payment);
      s.sandbox.setSwitches(p.payment, { apiHttpStatus: 502 });
      const res = await s.h.api('POST', `/v1/orders/${p.orderId}/cancel`, { reason: 'out of stock' });
      s.sandbox.setSwitches(p.payment, {});
      assert.ok(res.status >= 400, `HTTP ${res.status}`);
      assert.notEqual((await orderOf(s, p.orderId)).status, 'canceled');
      await janitor(s, { settleAfterMs: 0 });
      assert.equal((await orderOf(s, p.orderId)).status, 'canceled');
      assert.equal(s.sandbox.state(p.payment)?.status, 'canceled');
    });
  }

  test('partial refunds, never beyond what was paid', async () => {
    const { s } = ctx;
    const p = await paidOrder(150000);
    const first = await refund(p, 50000);
    if (!driver.abilities.refund) {
      assert.equal(first.status, 201);
      assert.equal(first.body.status, 'manual');
      assert.ok((await openTaskKinds(s, p.orderId)).includes('refund_manual'));
      return;
    }
    assert.ok([201, 202].includes(first.status), JSON.stringify(first.body));
    assert.ok(['succeeded', 'pending'].includes(first.body.status));
    const second = await refund(p, 50000);
    assert.ok([201, 202].includes(second.status));
    const tooMuch = await refund(p, 60000);
    assert.equal(tooMuch.status, 409);
    assert.equal(tooMuch.body.code, 'refund_exceeds_refundable');
    await janitor(s, { settleAfterMs: 0 }); // settles pending ones, if the provider has them
    assert.equal(s.sandbox.state(p.payment)?.refunded, 100000);
    assert.equal((await orderOf(s, p.orderId)).payment_status, 'partially_refunded');
    await refund(p, 50000);
    await janitor(s, { settleAfterMs: 0 });
    assert.equal(s.sandbox.state(p.payment)?.refunded, 150000);
    assert.equal((await orderOf(s, p.orderId)).payment_status, 'refunded');
  });

  if (driver.abilities.refund) {
    for (const sw of [{ timeoutMs: 2500 }, { apiHttpStatus: 502 }]) {
      test(`a refund with no usable answer (${Object.keys(sw)[0]}) is settled later and paid once`, async () => {
        const { s } = ctx;
        const p = await paidOrder(90000);
        s.sandbox.setSwitches(p.payment, sw);
        const r = await refund(p, 30000);
        assert.equal(r.status, 202, JSON.stringify(r.body));
        assert.equal(r.body.status, 'requested');
        await sleep((sw.timeoutMs ?? 0) + 300); // whatever the provider does with the held call is done
        s.sandbox.setSwitches(p.payment, {});
        await janitor(s, { settleAfterMs: 0 });
        await janitor(s, { settleAfterMs: 0 });
        const order = await orderOf(s, p.orderId);
        assert.equal(order.refunds[0].status, 'succeeded');
        assert.equal(s.sandbox.state(p.payment)?.refunded, 30000);
        assert.equal(order.payment_status, 'partially_refunded');
      });
    }
  }
}
