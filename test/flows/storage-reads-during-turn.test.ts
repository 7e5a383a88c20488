import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshStore, type TestStore } from '../support/store.js';
import { attempt, insertBatchMethod, order } from '../support/storage-records.js';

// On SQLite a plain read runs straight on the one connection when no transaction is open on it
// (src/storage/sqlite/open.ts). A read asked for while a transaction is open must still see only
// what is committed: never a write of the open transaction, which may yet roll back.

let store: TestStore;
before(async () => {
  store = await freshStore();
  await insertBatchMethod(store);
});
after(async () => {
  await store.drop();
});

test('a read asked for while a transaction is open sees none of its writes, and they roll back', async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const tx = store.storage.transaction(async (t) => {
    await t.insertOrder(order('ord_dirty'), 'kh_dirty', 'ref-ord_dirty');
    await t.insertAttempt(attempt('pa_dirty', 'ord_dirty'), 'pa_dirty');
    wrote();
    await gate;
    throw new Error('this transaction rolls back');
  });
  await written;
  const reads = Promise.all([
    store.storage.read.getOrder('ord_dirty'),
    store.storage.read.listAttempts('ord_dirty'),
    store.storage.read.findAttemptByProviderRef('pm_b', { norm: 'pa_dirty', raw: 'pa_dirty' }),
  ]);
  open();
  await assert.rejects(tx, /rolls back/);
  assert.deepEqual(await reads, [undefined, [], undefined]);
});

test('a read after each commit sees it, between transactions as between turns', async () => {
  await store.storage.transaction((t) => t.insertOrder(order('ord_clean'), 'kh_clean', 'ref-ord_clean'));
  assert.equal((await store.storage.read.getOrder('ord_clean'))?.id, 'ord_clean');
  // Reads between commits (no transaction open: on SQLite straight on the connection) see each one.
  for (let i = 0; i < 20; i++) {
    const id = `ord_seq${i}`;
    const committed = store.storage.transaction((t) => t.insertOrder(order(id), `kh_seq${i}`, `ref-${id}`));
    await committed;
    assert.equal((await store.storage.read.getOrder(id))?.id, id);
  }
});
