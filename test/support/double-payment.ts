// An order paid twice over real HTTP: a provider with a refund call but no cancel call (a second
// attempt leaves the first open, so the customer can pay both, as with Ameria, CloudPayments or
// YooKassa), a payment method made through the admin API, and signed callbacks to Settle.
import assert from 'node:assert/strict';
import { ok } from '../../src/domain/result.js';
import type { Connector } from '../../src/ports/connector.js';
import { newReference, TEST_PRIVATE_KEY, TEST_SHOP_ID, type Harness } from './harness.js';
import { md5, refundingConnector } from './refunding-provider.js';

const { cancel: _cancel, ...refundsOnly } = refundingConnector;
/** The refunding provider without a cancel call. */
export const noCancel: Connector<any> = { ...refundsOnly, id: 'test-refunding-no-cancel' };

/** The same provider, whose refunds are accepted first and finished only when asked again (the janitor). */
export const slow: Connector<any> = {
  ...noCancel,
  id: 'test-refunding-slow',
  async refund(settings, input, ctx) {
    if (!input.resend) return ok({ status: 'pending' as const, providerRef: null });
    return refundingConnector.refund!(settings, input, ctx);
  },
};

/** A payment method of `connector` whose refunds go to the refund API at `apiUrl`. */
export async function refundingMethod(
  h: Harness,
  apiUrl: string,
  connector: string,
  body: Record<string, unknown> = {},
) {
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: `Refunding ${connector}`,
      connector,
      settings: {
        shop_id: TEST_SHOP_ID,
        private_key: TEST_PRIVATE_KEY,
        payment_page_url: `${h.sandbox.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: apiUrl,
      },
      ...body,
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  return pm.body as { id: string; auto_refund_surplus: boolean };
}

/** The provider's signed "paid" callback for one attempt. */
export const paidCallback = (h: Harness, pmId: string, ref: string) =>
  fetch(`${h.url}/callbacks/${pmId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order_id: ref, status: 'executed', hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`) }),
  });

/** An order of 1200.00 AMD paid twice: two attempts started, both paid by signed callbacks (the second one `repeat` times). */
export async function paidTwice(h: Harness, pmId: string, repeat = 1) {
  const order = await h.api('POST', '/v1/orders', { reference: newReference('DP'), currency: 'AMD', amount: 120000 });
  assert.equal(order.status, 201);
  const start = () => h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pmId });
  const first = (await start()).body;
  const second = (await start()).body;
  assert.equal((await paidCallback(h, pmId, first.provider_ref)).status, 200);
  for (let i = 0; i < repeat; i++) assert.equal((await paidCallback(h, pmId, second.provider_ref)).status, 200);
  return { orderId: order.body.id as string, first, second };
}

/** What the double-payment flows ask of Settle and of the provider, over one harness. */
export function doublePaymentCalls(h: Harness, api: { refunds(): { order_id: string; amount: number }[] }) {
  return {
    detail: async (orderId: string) => (await h.api('GET', `/v1/orders/${orderId}`)).body,
    doublePayment: (orderId: string) => h.store.storage.read.listTasks({ orderId, kind: 'double_payment' }),
    refund: (orderId: string, body: Record<string, unknown>) =>
      h.api('POST', `/v1/orders/${orderId}/refunds`, { reason: 'paid twice', ...body }, { key: h.adminKey }),
    adjust: (orderId: string, amountDelta: number) =>
      h.api('POST', `/v1/orders/${orderId}/adjustments`, {
        kind: 'fee_change',
        amount_delta: amountDelta,
        reason: 'fee',
      }),
    /** What the provider paid back for the payments of these provider references. */
    paidBack: (...refs: string[]) =>
      api
        .refunds()
        .filter((r) => refs.includes(r.order_id))
        .reduce((s, r) => s + r.amount, 0),
  };
}
