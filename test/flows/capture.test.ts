import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAmeriaSandbox } from '../../src/connectors/ameria/sandbox.js';
import { pressOnPage } from '../support/conformance/browser-steps.js';
import { newReference, startHarness, type Harness } from '../support/harness.js';
import { noteSecret } from '../support/test-logs.js';

// A held payment (a two-stage merchant at Ameriabank: paying only approves) is taken by the capture
// call; the order is paid once the bank says the money was deposited. The seed acquirer has no
// capture call and says so.
const PASSWORD = 'capture-test-Pa55-1q';
let h: Harness;
let bank: Awaited<ReturnType<typeof startAmeriaSandbox>>;
let methodId: string;

before(async () => {
  noteSecret(PASSWORD);
  h = await startHarness({ httpTimeoutMs: 1500 });
  bank = await startAmeriaSandbox({
    merchants: [
      {
        clientId: 'capture-client',
        username: 'capture',
        password: PASSWORD,
        orderIdFrom: 1,
        orderIdTo: 999,
        twoStage: true,
      },
    ],
  });
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Ameriabank, two-stage',
      connector: 'ameria',
      settings: {
        client_id: 'capture-client',
        username: 'capture',
        password: PASSWORD,
        api_base_url: bank.url,
        order_id_from: 1,
        order_id_to: 999,
        language: 'en',
      },
      currencies: ['AMD'],
      auto_approve: true,
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  methodId = pm.body.id;
});
after(async () => {
  await bank.close();
  await h.close();
});

async function heldPayment(methodIdToUse: string) {
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('CAP'),
    currency: 'AMD',
    lines: [{ sku: 'TEA', name: 'Tea', quantity: 1, unit_amount: 80000 }],
  });
  const pay = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: methodIdToUse });
  assert.equal(pay.status, 201, JSON.stringify(pay.body));
  return { orderId: order.body.id as string, payment: pay.body };
}

test('a held payment is captured in full and the order becomes paid; a second capture is refused', async () => {
  const { orderId, payment } = await heldPayment(methodId);
  const back = await pressOnPage(payment.next_step.url, 'pay');
  await (await fetch(back!)).text(); // the return page checks: the bank holds the money
  let order = (await h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(order.payments[0].status, 'authorized');
  assert.notEqual(order.payment_status, 'paid');
  const captured = await h.api('POST', `/v1/orders/${orderId}/payments/${payment.id}/capture`, {});
  assert.equal(captured.status, 200, JSON.stringify(captured.body));
  assert.equal(captured.body.status, 'succeeded');
  assert.equal(captured.body.verified_by, 'status_check');
  order = (await h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(order.payment_status, 'paid');
  const kinds = (await h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.map((e: { kind: string }) => e.kind);
  assert.ok(kinds.includes('payment.capture_requested'));
  const again = await h.api('POST', `/v1/orders/${orderId}/payments/${payment.id}/capture`, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'payment_not_held');
});

test('a provider without a capture call says so and changes nothing', async () => {
  const { orderId, payment } = await heldPayment(h.paymentMethodId);
  const res = await h.api('POST', `/v1/orders/${orderId}/payments/${payment.id}/capture`, {});
  assert.equal(res.status, 422);
  assert.equal(res.body.code, 'capture_not_supported');
});
