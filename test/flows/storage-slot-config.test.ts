import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { freshStore, type TestStore } from '../support/store.js';
import { order, T0, webhookEndpoint as endpoint } from '../support/storage-records.js';

// A repository slot serves one transaction after another (src/storage/repository.ts). On
// PostgreSQL lockOrderState also reads the settings and webhook endpoints, which answer the rest
// of that transaction; a later transaction on the same slot must read them as committed then,
// not as the earlier one saw them. Runs on both stores.

let store: TestStore;
before(async () => {
  store = await freshStore();
});
after(async () => {
  await store.drop();
});

test('a transaction sees settings and webhook endpoints another process changed after an earlier transaction read them', async () => {
  await store.storage.transaction(async (tx) => {
    await tx.insertOrder(order('ord_slot'), 'kh_slot', 'ref-ord_slot');
    await tx.insertWebhookEndpoint(endpoint('we_slot'));
    await tx.putSetting('slot_probe', { v: 1 }, T0);
  });
  // Transactions one at a time take the same slot; this one reads the configuration with the order.
  const first = await store.storage.transaction(async (tx) => {
    await tx.lockOrderState('ord_slot');
    return { setting: await tx.getSetting('slot_probe'), endpoints: await tx.listWebhookEndpoints() };
  });
  assert.deepEqual(first.setting, { v: 1 });
  assert.deepEqual(
    first.endpoints.map((e) => e.enabled),
    [true],
  );

  const other = openStorage(store.url);
  try {
    await other.transaction(async (tx) => {
      await tx.updateWebhookEndpoint('we_slot', { enabled: false, updatedAt: T0 });
      await tx.insertWebhookEndpoint(endpoint('we_slot2', '2026-11-23T10:00:01.000Z'));
      await tx.putSetting('slot_probe', { v: 2 }, T0);
    });
  } finally {
    await other.close();
  }

  const later = await store.storage.transaction(async (tx) => ({
    setting: await tx.getSetting('slot_probe'),
    endpoints: await tx.listWebhookEndpoints(),
  }));
  assert.deepEqual(later.setting, { v: 2 });
  assert.deepEqual(
    later.endpoints.map((e) => [e.id, e.enabled]),
    [
      ['we_slot', false],
      ['we_slot2', true],
    ],
  );
});
