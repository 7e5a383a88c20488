import assert from 'node:assert/strict';
import { waitFor } from './async.js';
import { settleOutbox, startWorld, type World } from './after-payment.js';
import { newReference, sandboxSettings, TEST_PRIVATE_KEY, TEST_SHOP_ID, type Harness } from './harness.js';

// The data the layout test looks at: an order with something in every box of its page (two
// payment methods, a declined attempt and a paid one, a manual refund and its task, a chargeback,
// an adjustment with the payment link it made, a shipment on its way, receipts, webhook sync), an
// order whose only payment was declined, an order waiting on a payment link, a reconciliation run.

export interface LayoutData {
  world: World;
  rich: { orderId: string; paidPaymentId: string; orderKey: string };
  declined: { orderId: string; paymentId: string };
  linkUrl: string;
  taskId: string;
  runId: string;
  methodId: string;
  endpointId: string;
}

const SECOND_SHOP = 'test-shop-backup';

async function ok(h: Harness, method: string, path: string, body: unknown, key = h.storeKey) {
  const r = await h.api(method, path, body, { key });
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Starts a payment and lets the acquirer's sandbox pay or decline it; resolves once Settle applied it. */
async function attempt(h: Harness, orderId: string, methodId: string, shop: string, outcome: 'pay' | 'decline') {
  const p = await ok(h, 'POST', `/v1/orders/${orderId}/payments`, { payment_method_id: methodId });
  assert.equal((await fetch(p.next_step.url)).status, 200);
  if (outcome === 'pay') await h.sandbox.sandbox.pay(shop, p.provider_ref);
  else await h.sandbox.sandbox.decline(shop, p.provider_ref, '5001');
  const want = outcome === 'pay' ? 'succeeded' : 'failed';
  await waitFor(
    `the ${outcome} callback is applied`,
    async () => {
      const a = (await h.store.storage.read.listAttempts(orderId)).find((x) => x.id === p.id);
      return a?.status === want;
    },
    5000,
  );
  return p.id as string;
}

/** Settle with mail, a webhook endpoint and receipts (after-payment.ts): close it when done. */
export const startLayoutWorld = () => startWorld();

export async function buildLayoutData(world: World): Promise<LayoutData> {
  const { h } = world;
  // A second acquirer account, so the order list's Method column names two methods.
  const second = await ok(
    h,
    'POST',
    '/v1/payment-methods',
    {
      name: 'Backup acquirer (AMD, 3-D Secure)',
      connector: 'acquiring-v1',
      settings: { ...sandboxSettings(h.sandbox.url), shop_id: SECOND_SHOP },
    },
    h.adminKey,
  );
  h.sandbox.sandbox.addShop({
    shopId: SECOND_SHOP,
    privateKey: TEST_PRIVATE_KEY,
    callbackUrl: `${h.url}/callbacks/${second.id}`,
    returnUrl: `${h.url}/return/m/${second.id}/[OrderID]`,
  });

  const order = await ok(h, 'POST', '/v1/orders', {
    reference: newReference('LAYOUT'),
    currency: 'AMD',
    lines: [
      { sku: 'MUG-HAND-PAINTED', name: 'Ceramic mug, hand-painted, 350 ml', quantity: 2, unit_amount: 750000 },
      { sku: 'JAM-APRICOT-350', name: 'Apricot jam from Ararat valley, 350 g', quantity: 3, unit_amount: 250000 },
    ],
    shipping_amount: 150000,
    customer: {
      name: 'Anahit Hakobyan-Sargsyan',
      email: 'anahit.hakobyan-sargsyan@example.com',
      phone: '+374 10 123456',
    },
    return_url: 'https://shop.example/account/orders/1001',
  });
  const orderId = order.id as string;
  await attempt(h, orderId, h.paymentMethodId, TEST_SHOP_ID, 'decline');
  const paidPaymentId = await attempt(h, orderId, second.id, SECOND_SHOP, 'pay');
  await settleOutbox(h, orderId);
  // No refund call at this acquirer: a manual refund, with a task to pay it out by hand.
  await ok(h, 'POST', `/v1/orders/${orderId}/refunds`, { amount: 25000, reason: 'Mug arrived chipped' }, h.adminKey);
  const shipment = await ok(h, 'POST', `/v1/orders/${orderId}/shipments`, {
    lines: [{ sku: 'MUG-HAND-PAINTED', quantity: 2 }],
    courier: 'FastPost Express',
    courier_ref: 'FP-2026-000123456789',
  });
  await ok(h, 'POST', `/v1/shipments/${shipment.id}/events`, { status: 'packed', at: new Date().toISOString() });
  // Gift wrapping added by phone: the customer owes more, and is sent a payment link for it.
  await ok(h, 'POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'fee_change',
    amount_delta: 50000,
    reason: 'Gift wrapping added by phone',
  });
  await ok(h, 'POST', `/v1/orders/${orderId}/payment-links`, {
    payment_method_id: h.paymentMethodId,
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    reason: 'Gift wrapping: the 500.00 added by phone',
  });
  // A dispute last: while it is open, the order takes no more money.
  await ok(
    h,
    'POST',
    `/v1/orders/${orderId}/chargebacks`,
    { amount: 10000, reason_code: '4853', note: 'Cardholder says the jam was not as described' },
    h.adminKey,
  );
  await settleOutbox(h, orderId);

  const failed = await ok(h, 'POST', '/v1/orders', {
    reference: newReference('DECLINED'),
    currency: 'AMD',
    amount: 990000,
    customer: { name: 'Aram Petrosyan', email: 'aram@example.com' },
    return_url: 'https://shop.example/account/orders/1002',
  });
  const declinedPaymentId = await attempt(h, failed.id, h.paymentMethodId, TEST_SHOP_ID, 'decline');

  const linked = await ok(h, 'POST', '/v1/orders', {
    reference: newReference('LINK'),
    currency: 'AMD',
    amount: 420000,
    customer: { email: 'link@example.com' },
  });
  const link = await ok(h, 'POST', `/v1/orders/${linked.id}/payment-links`, {
    payment_method_id: h.paymentMethodId,
    expires_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  });

  const tasks = await h.store.storage.read.listTasks({ orderId, status: 'open' });
  assert.ok(tasks.length > 0, 'the order has open tasks');
  const runId = await reconciliationRun(h, orderId, paidPaymentId);
  return {
    world,
    rich: { orderId, paidPaymentId, orderKey: order.order_key },
    declined: { orderId: failed.id, paymentId: declinedPaymentId },
    linkUrl: link.url,
    taskId: tasks[0]!.id,
    runId,
    methodId: h.paymentMethodId,
    endpointId: world.endpointId,
  };
}

/** A day's report with one matched line and one Settle never saw, imported through the API. */
async function reconciliationRun(h: Harness, orderId: string, paymentId: string): Promise<string> {
  const order = await h.store.storage.read.getOrder(orderId);
  const paid = (await h.store.storage.read.listAttempts(orderId)).find((a) => a.id === paymentId)!;
  const day = new Date().toISOString().slice(0, 10);
  const csv = [
    'provider_ref,order_reference,type,amount,currency,status,time,fee',
    `${paid.providerRef},${order!.reference},sale,${(paid.amount / 100).toFixed(2)},AMD,succeeded,${day}T10:00:00Z,15.00`,
    `NOT-IN-SETTLE-000123,NOT-IN-SETTLE-000123,sale,10.00,AMD,succeeded,${day}T11:00:00Z,0.10`,
  ].join('\n');
  const form = new FormData();
  form.append('payment_method_id', paid.paymentMethodId);
  form.append('date', day);
  form.append('file', new Blob([csv], { type: 'text/csv' }), `report-${day}.csv`);
  const res = await fetch(`${h.url}/v1/reconciliation/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.adminKey}` },
    body: form,
  });
  const body = (await res.json()) as { id: string };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.id;
}
