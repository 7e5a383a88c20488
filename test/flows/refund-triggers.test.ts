// A provider that finishes refunds later and then says so (YooKassa's refund.succeeded, T-Bank's
// REFUNDED): a verified trigger for the payment asks its pending refunds again at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fail, ok } from '../../src/domain/result.js';
import type { Connector } from '../../src/ports/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import { newReference, TEST_PRIVATE_KEY, TEST_SHOP_ID } from '../support/harness.js';
import { startWorld, type World } from '../support/after-payment.js';
import { md5, refundingConnector, startRefundApi } from '../support/refunding-provider.js';

// Refunds are accepted as pending until `finished` holds the refund's id; a trigger notice is
// {"trigger": ref, "hash": md5(key;ref;trigger)}, or the same unsigned ({"trigger": ref}).
const finished = new Set<string>();
const asked: string[] = [];
const laterConnector: Connector<AcquiringV1Settings> = {
  ...refundingConnector,
  id: 'test-refunding-later',
  title: 'Test provider that finishes refunds later',
  parseCallback(settings, req) {
    const body = JSON.parse(req.body.toString('utf8') || '{}') as { trigger?: string; hash?: string };
    if (typeof body.trigger !== 'string') return refundingConnector.parseCallback(settings, req);
    const verified = body.hash !== undefined;
    if (verified && body.hash !== md5(`${settings.privateKey.reveal()};${body.trigger};trigger`))
      return fail('callback_signature_invalid', 'The trigger signature does not match.');
    return ok({ kind: 'trigger', providerRef: body.trigger, providerStatus: 'refund.changed', verified });
  },
  async refund(settings, input, ctx) {
    asked.push(input.refundId);
    const r = await refundingConnector.refund!(settings, input, ctx);
    if (!r.ok) return r;
    return ok({ ...r.value, status: finished.has(input.refundId) ? 'succeeded' : 'pending' });
  },
};

let w: World;
let api: Awaited<ReturnType<typeof startRefundApi>>;
let pmId: string;
before(async () => {
  w = await startWorld({ extraConnectors: [laterConnector] });
  api = await startRefundApi();
  const pm = await w.h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Later refunds',
      connector: laterConnector.id,
      settings: {
        shop_id: TEST_SHOP_ID,
        private_key: TEST_PRIVATE_KEY,
        payment_page_url: `${w.h.sandbox.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: api.url,
      },
    },
    { key: w.h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  pmId = pm.body.id;
});
after(async () => {
  await w.close();
  await api.close();
});

const callback = (body: Record<string, unknown>) =>
  fetch(`${w.h.url}/callbacks/${pmId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function paidWithPendingRefund() {
  const order = await w.h.api('POST', '/v1/orders', { reference: newReference('RT'), currency: 'AMD', amount: 50000 });
  const payment = await w.h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: pmId });
  const ref = payment.body.provider_ref as string;
  const paid = await callback({ order_id: ref, status: 'executed', hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`) });
  assert.equal(paid.status, 200);
  const refund = await w.h.api(
    'POST',
    `/v1/orders/${order.body.id}/refunds`,
    { amount: 20000, reason: 'returned' },
    { key: w.h.adminKey },
  );
  assert.equal(refund.body.status, 'pending', JSON.stringify(refund.body));
  return { orderId: order.body.id as string, ref, refundId: refund.body.id as string };
}

const refundOf = async (orderId: string) => (await w.h.api('GET', `/v1/orders/${orderId}`)).body.refunds[0];

test('a verified trigger asks the payment’s pending refund again, and the finished refund is recorded once', async () => {
  const { orderId, ref, refundId } = await paidWithPendingRefund();
  finished.add(refundId);
  asked.length = 0;
  const res = await callback({ trigger: ref, hash: md5(`${TEST_PRIVATE_KEY};${ref};trigger`) });
  assert.equal(res.status, 200);
  assert.deepEqual(asked, [refundId]);
  assert.equal((await refundOf(orderId)).status, 'succeeded');
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.payment_status, 'partially_refunded');
  assert.equal(api.refunds().filter((x) => x.order_id === ref).length, 1, 'paid out once');
  // Another trigger asks nothing: no refund of the payment is pending any more.
  asked.length = 0;
  await callback({ trigger: ref, hash: md5(`${TEST_PRIVATE_KEY};${ref};trigger`) });
  assert.deepEqual(asked, []);
});

test('an unverified trigger asks no refund; a refund still unfinished stays pending', async () => {
  const { orderId, ref, refundId } = await paidWithPendingRefund();
  asked.length = 0;
  assert.equal((await callback({ trigger: ref })).status, 200);
  assert.deepEqual(asked, []);
  assert.equal((await callback({ trigger: ref, hash: md5(`${TEST_PRIVATE_KEY};${ref};trigger`) })).status, 200);
  assert.deepEqual(asked, [refundId]);
  assert.equal((await refundOf(orderId)).status, 'pending');
});
