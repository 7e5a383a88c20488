import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import type { Connector } from '../../src/ports/connector.js';
import { sandboxSettings, startHarness, type Harness } from '../support/harness.js';

// A connector that says it starts locally but calls out anyway: a bug its binding must stop.
let provider: http.Server;
let providerUrl = '';
let providerHits = 0;
const callsOut: Connector<AcquiringV1Settings> = {
  ...acquiringV1,
  id: 'test-calls-out',
  title: 'Test provider that calls out from a local start',
  startsLocally: true,
  async startPayment(input, ctx) {
    await ctx.http.request({ method: 'POST', url: `${providerUrl}/register`, headers: {}, body: '' });
    return acquiringV1.startPayment(input, ctx);
  },
};

let h: Harness;
let callsOutMethod = '';
before(async () => {
  provider = http.createServer((_req, res) => {
    providerHits += 1;
    res.end('{}');
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  h = await startHarness({ extraConnectors: [callsOut] });
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    { name: 'Calls out', connector: 'test-calls-out', settings: sandboxSettings(h.sandbox.url) },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  callsOutMethod = pm.body.id;
});
after(async () => {
  await h.close();
  await new Promise((resolve) => provider.close(resolve));
});

let refs = 0;
async function newOrder(): Promise<string> {
  const o = await h.api('POST', '/v1/orders', { reference: `LOCAL-${++refs}`, currency: 'AMD', amount: 150_000 });
  assert.equal(o.status, 201, JSON.stringify(o.body));
  return o.body.id;
}

/** Counts the storage transactions run while `fn` runs. */
async function countTransactions(fn: () => Promise<void>): Promise<number> {
  const storage = h.deps.storage;
  const original = storage.transaction.bind(storage);
  let n = 0;
  storage.transaction = ((work: Parameters<typeof original>[0]) => {
    n += 1;
    return original(work);
  }) as typeof storage.transaction;
  try {
    await fn();
  } finally {
    storage.transaction = original;
  }
  return n;
}

test('a connector that starts locally has its attempt committed with its next step, in one transaction', async () => {
  const orderId = await newOrder();
  let payment: Awaited<ReturnType<Harness['api']>> | undefined;
  const n = await countTransactions(async () => {
    payment = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: h.paymentMethodId });
  });
  assert.equal(payment!.status, 201, JSON.stringify(payment!.body));
  assert.equal(payment!.body.next_step.type, 'redirect');
  assert.equal(n, 1, 'the attempt and its next step in one transaction (a provider call needs two)');
  // What was committed is what the shop was answered: the order's own view shows the same step.
  const order = await h.api('GET', `/v1/orders/${orderId}`);
  assert.equal(order.status, 200);
  const stored = order.body.payments.find((p: { id: string }) => p.id === payment!.body.id);
  assert.deepEqual(stored.next_step, payment!.body.next_step);
});

test('a connector that says it starts locally cannot call its provider: nothing leaves and nothing is kept', async () => {
  const orderId = await newOrder();
  const payment = await h.api('POST', `/v1/orders/${orderId}/payments`, { payment_method_id: callsOutMethod });
  assert.equal(payment.status, 500);
  assert.equal(providerHits, 0, 'no request reached the provider');
  const order = await h.api('GET', `/v1/orders/${orderId}`);
  assert.deepEqual(order.body.payments, [], 'the transaction that held the call was rolled back');
});
