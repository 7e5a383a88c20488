import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProviderOperation } from '../../src/domain/provider-operation.js';
import type { OperationQuery } from '../../src/ports/storage/provider-operations.js';
import { freshStore, type TestStore } from '../support/store.js';
import { attempt, insertBatchMethod, order, statements, T0 } from '../support/storage-records.js';

// On PostgreSQL, lockOrderState reads the order's provider operations still waiting for an answer
// in its one statement, and answers the transaction's listOperations of that order (status
// requested) from them (src/storage/postgres/order-state.ts). What it answers must be what the
// table holds, in the table's order, on both stores, and a write in the transaction must be seen.

let store: TestStore;

const op = (id: string, orderId: string, over: Partial<ProviderOperation> = {}): ProviderOperation => ({
  id,
  kind: 'cancel',
  orderId,
  attemptId: `pa_${orderId}`,
  status: 'requested',
  actor: 'system',
  reason: null,
  error: null,
  tries: 0,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

before(async () => {
  store = await freshStore();
  await insertBatchMethod(store);
  await store.storage.transaction(async (tx) => {
    for (const id of ['ord_w1', 'ord_w2']) {
      await tx.insertOrder(order(id), `kh_${id}`, `ref-${id}`);
      await tx.insertAttempt(attempt(`pa_${id}`, id), `pa_${id}`);
    }
    // Out of order on purpose: the answer is by updated_at, then id.
    await tx.insertOperation(op('op_c2', 'ord_w1', { updatedAt: '2026-11-23T10:00:02.000Z' }));
    await tx.insertOperation(op('op_c1', 'ord_w1', { updatedAt: '2026-11-23T10:00:01.000Z' }));
    await tx.insertOperation(op('op_s1', 'ord_w1', { kind: 'supersede', updatedAt: '2026-11-23T10:00:03.000Z' }));
    await tx.insertOperation(op('op_done', 'ord_w1', { status: 'succeeded' }));
    await tx.insertOperation(op('op_other', 'ord_w2'));
  });
});
after(async () => {
  await store.drop();
});

const queries: OperationQuery[] = [
  { orderId: 'ord_w1', kind: 'cancel', status: 'requested', limit: 1 },
  { orderId: 'ord_w1', kind: 'cancel', status: 'requested', limit: 1000 },
  { orderId: 'ord_w1', kind: 'supersede', status: 'requested', limit: 1000 },
  { orderId: 'ord_w1', status: 'requested', limit: 2 },
  { orderId: 'ord_w1', status: 'succeeded', limit: 1000 },
  { orderId: 'ord_w1', kind: 'cancel', limit: 1000 },
  { orderId: 'ord_w2', status: 'requested', limit: 1000 },
];

test("after lockOrderState, the transaction's listOperations answers as the table does", async () => {
  const expected = await Promise.all(queries.map((q) => store.storage.read.listOperations(q)));
  assert.deepEqual(
    expected[0]!.map((o) => o.id),
    ['op_c1'],
  );
  assert.deepEqual(
    expected[3]!.map((o) => o.id),
    ['op_c1', 'op_c2'],
  );
  const inTx = await store.storage.transaction(async (tx) => {
    await tx.lockOrderState('ord_w1');
    const out: ProviderOperation[][] = [];
    for (const q of queries) out.push(await tx.listOperations(q));
    return out;
  });
  assert.deepEqual(inTx, expected);
});

test("a new payment's check for a pending cancel costs no statement of its own on PostgreSQL", async () => {
  const { result, sent } = await statements(store, () =>
    store.storage.transaction(async (tx) => {
      await tx.lockOrderState('ord_w1');
      return tx.listOperations({ orderId: 'ord_w1', kind: 'cancel', status: 'requested', limit: 1 });
    }),
  );
  assert.deepEqual(
    result.map((o) => o.id),
    ['op_c1'],
  );
  if (sent) assert.equal(sent.filter((s) => s.includes('provider_operations')).length, 0, sent.join('\n'));
});

test('an operation written in the transaction after the lock is what its later listOperations sees', async () => {
  const seen = await store.storage.transaction(async (tx) => {
    await tx.lockOrderState('ord_w2');
    const before = await tx.listOperations({ orderId: 'ord_w2', status: 'requested', limit: 1000 });
    await tx.insertOperation(op('op_new', 'ord_w2', { updatedAt: '2026-11-23T10:00:05.000Z' }));
    const added = await tx.listOperations({ orderId: 'ord_w2', status: 'requested', limit: 1000 });
    await tx.updateOperation('op_other', { status: 'succeeded', updatedAt: '2026-11-23T10:00:06.000Z' });
    const settled = await tx.listOperations({ orderId: 'ord_w2', status: 'requested', limit: 1000 });
    return [before, added, settled].map((list) => list.map((o) => o.id));
  });
  assert.deepEqual(seen, [['op_other'], ['op_other', 'op_new'], ['op_new']]);
});

test('what one transaction read under the lock is not what the next one on the slot sees', async () => {
  await store.storage.transaction(async (tx) => {
    await tx.lockOrderState('ord_w1');
    await tx.listOperations({ orderId: 'ord_w1', kind: 'cancel', status: 'requested', limit: 1 });
  });
  // Changed beside the repositories (as another process would), so no write of the slot's drops what it read.
  await store.storage.db
    .updateTable('provider_operations')
    .set({ status: 'failed' })
    .where('id', '=', 'op_c1')
    .execute();
  const next = await store.storage.transaction((tx) =>
    tx.listOperations({ orderId: 'ord_w1', kind: 'cancel', status: 'requested', limit: 1 }),
  );
  assert.deepEqual(
    next.map((o) => o.id),
    ['op_c2'],
  );
});
