import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';

// A payment method's bound connector is kept between requests (src/app/load-method.ts): a change
// of its settings must take effect on the very next callback, and the old key must stop working.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

async function awaitingPayment() {
  const reference = newReference('KEY');
  const order = await h.api('POST', '/v1/orders', { reference, currency: 'AMD', amount: 5000 });
  const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
  assert.equal(payment.status, 201, JSON.stringify(payment.body));
  return { orderId: order.body.id as string, ref: payment.body.provider_ref as string };
}

const callback = (ref: string, key: string) =>
  fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      order_id: ref,
      status: 'executed',
      hash: createHash('md5').update(`${key};${ref};executed`).digest('hex'),
    }),
  });

test('a changed private key verifies the next callback, and the old one is refused from then on', async () => {
  const first = await awaitingPayment();
  assert.equal((await callback(first.ref, TEST_PRIVATE_KEY)).status, 200); // bound and kept

  const rotated = 'rotated-private-key-1a2b3c4d';
  const patch = await h.api(
    'PATCH',
    `/v1/payment-methods/${h.paymentMethodId}`,
    { settings: { private_key: rotated } },
    { key: h.adminKey },
  );
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  try {
    const second = await awaitingPayment();
    assert.notEqual((await callback(second.ref, TEST_PRIVATE_KEY)).status, 200, 'the old key no longer verifies');
    assert.equal((await h.api('GET', `/v1/orders/${second.orderId}`)).body.payments[0].status, 'created');
    assert.equal((await callback(second.ref, rotated)).status, 200);
    assert.equal((await h.api('GET', `/v1/orders/${second.orderId}`)).body.payments[0].status, 'succeeded');
  } finally {
    await h.api(
      'PATCH',
      `/v1/payment-methods/${h.paymentMethodId}`,
      { settings: { private_key: TEST_PRIVATE_KEY } },
      { key: h.adminKey },
    );
  }
});
