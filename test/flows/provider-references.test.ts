import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { acquiringV1 } from '../../src/connectors/acquiring-v1/connector.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import type { Connector } from '../../src/ports/connector.js';
import { mapLimit } from '../support/async.js';
import { newReference, sandboxSettings, startHarness, type Harness } from '../support/harness.js';

// A provider that wants integer order ids from a range the bank assigns (as Ameria's OrderID):
// the seed acquirer's protocol, numbered from a counter. Its range is in its settings' shop id,
// "FROM-TO", so each test can give a method a range of its own.
const numbered: Connector<AcquiringV1Settings> = {
  ...acquiringV1,
  id: 'test-numbered',
  title: 'Test provider with numbered order ids',
  references(settings) {
    const [from, to] = settings.shopId.split('-').map(Number);
    return { kind: 'counter', key: `test-numbered:${settings.shopId}`, from: from!, to: to! };
  },
};

let h: Harness;
before(async () => {
  h = await startHarness({ extraConnectors: [numbered] });
});
after(async () => {
  await h.close();
});

async function method(range: string): Promise<string> {
  const pm = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: `Numbered ${range}`,
      connector: 'test-numbered',
      settings: { ...sandboxSettings(h.sandbox.url), shop_id: range },
    },
    { key: h.adminKey },
  );
  assert.equal(pm.status, 201, JSON.stringify(pm.body));
  return pm.body.id;
}

async function pay(methodId: string) {
  const order = await h.api('POST', '/v1/orders', {
    reference: newReference('NUM'),
    currency: 'AMD',
    lines: [{ sku: 'A', name: 'A', quantity: 1, unit_amount: 1000 }],
  });
  assert.equal(order.status, 201);
  return h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: methodId });
}

test('numbered references are handed out once each, under concurrent starts, from the database counter', async () => {
  const methodId = await method('5000-5099');
  const { results } = await mapLimit(Array.from({ length: 40 }), 10, () => pay(methodId));
  const refs = results.map((r) => {
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return Number(r.body.provider_ref);
  });
  assert.equal(new Set(refs).size, 40);
  assert.deepEqual(
    [...refs].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => 5000 + i),
  );
  // A restart keeps counting: the next number comes from the stored counter, not from memory.
  const next = await h.deps.storage.transaction((tx) =>
    tx.nextReferenceNumber('test-numbered:5000-5099', { from: 5000, to: 5099 }, new Date().toISOString()),
  );
  assert.equal(next, 5040);
});

test('a used-up range is a clear 409 and starts nothing; a range moved up starts at its beginning', async () => {
  const methodId = await method('7000-7001');
  assert.equal((await pay(methodId)).body.provider_ref, '7000');
  assert.equal((await pay(methodId)).body.provider_ref, '7001');
  const refused = await pay(methodId);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'reference_range_exhausted');
  assert.match(refused.body.message, /7000–7001/);
  const again = await pay(methodId);
  assert.equal(again.status, 409, 'still used up: the counter does not creep past the end');
  const counter = (range: { from: number; to: number }) =>
    h.deps.storage.transaction((tx) =>
      tx.nextReferenceNumber('test-numbered:7000-7001', range, new Date().toISOString()),
    );
  assert.equal(await counter({ from: 7000, to: 7003 }), 7003, 'a range extended goes on after the end');
  assert.equal(await counter({ from: 9000, to: 9010 }), 9000, 'a new range starts at its own beginning');
  assert.equal(await counter({ from: 9000, to: 9010 }), 9001);
});
