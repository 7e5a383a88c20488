import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { TransactionNotCommitted } from '../../src/storage/postgres/pipeline.js';
import { freshStore, type TestStore } from '../support/store.js';
import { attempt, insertBatchMethod, order, T0, task } from '../support/storage-records.js';

// On PostgreSQL a transaction's statements are pipelined (src/storage/postgres/pipeline.ts):
// BEGIN goes out with the first read, lockOrderState's lock with its state read, the held writes
// with COMMIT. What the app sees must not change; these run on both stores.

let store: TestStore;
let n = 0;
before(async () => {
  store = await freshStore();
  await insertBatchMethod(store);
});
after(async () => {
  await store.drop();
});

async function seed(): Promise<string> {
  n += 1;
  const orderId = `ord_p${n}`;
  await store.storage.transaction(async (tx) => {
    await tx.insertOrder(order(orderId), `khp${n}`, `ref-${orderId}`);
    await tx.appendEvents(orderId, T0, [{ kind: 'order.created', actor: 'store', summary: 'created' }]);
  });
  return orderId;
}

/** Resolves once a PostgreSQL backend waits for a lock (at once on SQLite, which has one writer). */
async function someoneWaitsForALock(): Promise<void> {
  if (store.kind !== 'postgres') return;
  const c = new pg.Client({ connectionString: store.url });
  await c.connect();
  try {
    for (let i = 0; i < 500; i++) {
      const { rows } = await c.query(
        "select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no transaction waited for the lock');
  } finally {
    await c.end();
  }
}

test("the state read sent behind a lock sees what the lock's last holder committed", async () => {
  const orderId = await seed();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const holding = new Promise<void>((r) => (locked = r));
  const first = store.storage.transaction(async (tx) => {
    await tx.lockOrderState(orderId);
    await tx.insertAttempt(attempt(`pa_p${n}`, orderId), `pa_p${n}`);
    await tx.updateOrder(orderId, { status: 'processing', paymentStatus: 'paid', updatedAt: T0 });
    await tx.appendEvents(orderId, T0, [{ kind: 'payment.succeeded', actor: 'provider', summary: 'paid' }]);
    locked();
    await gate;
  });
  await holding;
  const second = store.storage.transaction(async (tx) => {
    const state = await tx.lockOrderState(orderId);
    const [event] = await tx.appendEvents(orderId, T0, [{ kind: 'order.checked', actor: 'system', summary: 'next' }]);
    return { state, seq: event!.seq };
  });
  // On PostgreSQL the second transaction's lock and read are on the wire, the lock waiting.
  await someoneWaitsForALock();
  release();
  await first;
  const { state, seq } = await second;
  assert.deepEqual(
    state!.attempts.map((a) => a.id),
    [`pa_p${n}`],
  );
  assert.deepEqual([state!.order.status, state!.order.paymentStatus], ['processing', 'paid']);
  assert.equal(seq, 3, 'the timeline goes on after the event the first transaction appended');
});

test('a transaction that swallowed a failed statement is not reported as committed', async () => {
  const orderId = await seed();
  const taken = `task_pt${n}`;
  await store.storage.transaction((tx) => tx.insertTasks([task(taken, orderId)]));
  const result = store.storage.transaction(async (tx) => {
    await tx.appendEvents(orderId, T0, [{ kind: 'payment.succeeded', actor: 'provider', summary: 'paid' }]);
    // A taken task id: SQLite refuses the insert here; PostgreSQL holds it and refuses the batch
    // when the read below sends it, which fails the whole transaction.
    await tx.insertTasks([task(taken, orderId)]).catch(() => undefined);
    await tx.listEvents(orderId).catch(() => undefined);
    return 'done';
  });
  if (store.kind === 'postgres') {
    // PostgreSQL answers that COMMIT with ROLLBACK: an error, never a success that kept nothing.
    await assert.rejects(result, TransactionNotCommitted);
    assert.equal((await store.storage.read.listEvents(orderId)).length, 1);
  } else {
    // SQLite refused one statement only: the rest of the transaction commits, as it says.
    assert.equal(await result, 'done');
    assert.equal((await store.storage.read.listEvents(orderId)).length, 2);
  }
});

/** Socket writes made while fn runs (pg's included). */
async function socketWrites<T>(fn: () => Promise<T>): Promise<{ result: T; writes: number }> {
  let writes = 0;
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
  const originals = { _write: proto._write, _writev: proto._writev };
  for (const name of ['_write', '_writev'] as const)
    proto[name] = function (this: net.Socket, ...args: unknown[]) {
      writes += 1;
      return originals[name].apply(this, args);
    };
  try {
    return { result: await fn(), writes };
  } finally {
    Object.assign(proto, originals);
  }
}

test("a callback's transaction goes out in two socket writes on PostgreSQL", async () => {
  const orderId = await seed();
  const { writes } = await socketWrites(() =>
    store.storage.transaction(async (tx) => {
      await tx.lockOrderState(orderId);
      await tx.updateOrder(orderId, { status: 'processing', paymentStatus: 'paid', updatedAt: T0 });
      await tx.appendEvents(orderId, T0, [{ kind: 'payment.succeeded', actor: 'provider', summary: 'paid' }]);
    }),
  );
  // BEGIN, the lock and the state read in one; the held writes and COMMIT in the other.
  if (store.kind === 'postgres') assert.equal(writes, 2);
  assert.equal((await store.storage.read.getOrder(orderId))?.paymentStatus, 'paid');
});

test("a new payment's method read goes out with BEGIN and the order's lock on PostgreSQL", async () => {
  const orderId = await seed();
  // What startPayment asks for first (src/app/start-payment.ts), then its check for a pending cancel.
  const { result, writes } = await socketWrites(() =>
    store.storage.transaction(async (tx) => {
      const [pm, locked] = await Promise.all([tx.getPaymentMethod('pm_b'), tx.lockOrderState(orderId)]);
      const cancels = await tx.listOperations({ orderId, kind: 'cancel', status: 'requested', limit: 1 });
      return { pm, locked, cancels };
    }),
  );
  // One write for BEGIN, the method, the lock and the state read; one for COMMIT.
  if (store.kind === 'postgres') assert.equal(writes, 2);
  assert.equal(result.pm?.id, 'pm_b');
  assert.equal(result.locked?.order.id, orderId);
  assert.deepEqual(result.cancels, []);
});
