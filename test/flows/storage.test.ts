import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { freshStore, type TestStore } from '../support/store.js';
import { attempt, insertBatchMethod, order, T0 } from '../support/storage-records.js';

let store: TestStore;
before(async () => {
  store = await freshStore();
});
after(async () => {
  await store.drop();
});

test('a job runs in one place at a time, across two connections to the same database', async () => {
  const other = openStorage(store.url);
  try {
    let inner: string | undefined = 'not run';
    let sameProcess: string | undefined = 'not run';
    const outer = await store.storage.runExclusive('sweep', async () => {
      inner = await other.runExclusive('sweep', async () => 'ran');
      sameProcess = await store.storage.runExclusive('sweep', async () => 'ran');
      return 'outer';
    });
    assert.equal(outer, 'outer');
    assert.equal(inner, undefined, 'another process (connection) is kept out');
    assert.equal(sameProcess, undefined, 'the same process does not overlap itself');
    assert.equal(await other.runExclusive('sweep', async () => 'after'), 'after', 'released when done');
  } finally {
    await other.close();
  }
});

test('an attempt is numbered one past the order’s attempts, counted in its own insert', async () => {
  await insertBatchMethod(store);
  await store.storage.transaction(async (tx) => {
    assert.equal(await tx.insertOrder(order('ord_n'), 'kh_n', 'ref-ord_n'), true);
    assert.equal(await tx.insertAttempt(attempt('pa_n1', 'ord_n'), 'pa_n1'), true);
    assert.equal(await tx.insertAttempt(attempt('pa_n2', 'ord_n'), 'pa_n2'), true);
  });
  await store.storage.transaction(async (tx) => {
    assert.equal(await tx.insertAttempt(attempt('pa_n3', 'ord_n'), 'pa_n3'), true);
    // A reference taken already: nothing goes in, and the next one still gets the next number.
    assert.equal(await tx.insertAttempt(attempt('pa_nx', 'ord_n'), 'pa_n3'), false);
    assert.equal(await tx.insertAttempt(attempt('pa_n4', 'ord_n'), 'pa_n4'), true);
  });
  const rows = await (store.storage.db as Kysely<any>)
    .selectFrom('payment_attempts')
    .select(['id', 'number'])
    .where('order_id', '=', 'ord_n')
    .orderBy('number')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.id, Number(r.number)]),
    [
      ['pa_n1', 1],
      ['pa_n2', 2],
      ['pa_n3', 3],
      ['pa_n4', 4],
    ],
  );
});

test('several processes migrating a fresh database at once all end with current migrations', async () => {
  if (store.kind !== 'sqlite') {
    // PostgreSQL: Kysely's migrator locks its own table; the same check still holds.
    assert.equal(await store.storage.migrationsCurrent(), true);
    return;
  }
  const url = store.url.replace(/settle\.db$/, 'race.db');
  const opened = [openStorage(url), openStorage(url), openStorage(url)];
  try {
    await Promise.all(opened.map((s) => s.migrate()));
    for (const s of opened) assert.equal(await s.migrationsCurrent(), true);
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
});

test('migration 0009 gives undelivered outbox messages their queue time, and delivered ones read theirs from created_at', async () => {
  const own = await freshStore();
  try {
    const migrator = new Migrator({ db: own.storage.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0008-request-id')).error, undefined);
    const row = (id: string, status: string, createdAt: string) => ({
      id,
      topic: 'email',
      event_type: 'mail.customer_paid',
      order_id: null,
      order_seq: 0,
      position: 0,
      target: 'mail:m@example.com',
      payload: '{}',
      status,
      attempts: 0,
      next_attempt_at: createdAt,
      last_error: null,
      locked_by: null,
      locked_until: null,
      created_at: createdAt,
      delivered_at: null,
      request_id: null,
    });
    await own.storage.db
      .insertInto('outbox')
      .values([
        row('msg_m_pending', 'pending', '2026-01-02T03:04:05.000Z'),
        row('msg_m_done', 'delivered', '2026-01-01T00:00:00.000Z'),
      ])
      .execute();
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const raw = await own.storage.db.selectFrom('outbox').select(['id', 'queued_at']).orderBy('id').execute();
    assert.deepEqual(raw, [
      { id: 'msg_m_done', queued_at: null },
      { id: 'msg_m_pending', queued_at: '2026-01-02T03:04:05.000Z' },
    ]);
    assert.equal((await own.storage.read.getOutbox('msg_m_done'))?.queuedAt, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(
      (await own.storage.read.outboxSummary()).map((s) => [s.topic, s.status, s.oldestQueuedAt]),
      [['email', 'pending', '2026-01-02T03:04:05.000Z']],
    );
  } finally {
    await own.drop();
  }
});

test('migration 0015 gives Settle’s automatic refunds of a surplus payment their whole amount as surplus, and every other refund none', async () => {
  const own = await freshStore();
  try {
    await insertBatchMethod(own);
    const migrator = new Migrator({ db: own.storage.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0014-auto-refund-surplus')).error, undefined);
    await own.storage.transaction(async (tx) => {
      assert.equal(await tx.insertOrder(order('ord_m'), 'kh_m', 'ref-ord_m'), true);
      assert.equal(await tx.insertAttempt(attempt('pa_m', 'ord_m'), 'pa_m'), true);
    });
    const row = (id: string, amount: number) => ({
      id,
      order_id: 'ord_m',
      attempt_id: 'pa_m',
      amount,
      currency: 'EUR',
      reason: 'r',
      lines: '[]',
      actor: 'system',
      status: 'succeeded',
      provider_ref: null,
      error: null,
      created_at: T0,
      updated_at: T0,
    });
    // As the refunds table was before 0015: no surplus_amount column.
    await (own.storage.db as Kysely<any>)
      .insertInto('refunds')
      .values([row('rf_surplus_pa_m', 700), row('rf_person', 300), row('rf_surplusless', 200)])
      .execute();
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const refunds = await own.storage.read.listRefunds('ord_m');
    assert.deepEqual(refunds.map((r) => [r.id, r.surplusAmount]).sort(), [
      ['rf_person', 0],
      ['rf_surplus_pa_m', 700],
      ['rf_surplusless', 0],
    ]);
  } finally {
    await own.drop();
  }
});

test('migration 0016 drops the callback log’s index by payment attempt, which no read uses', async () => {
  const own = await freshStore();
  try {
    const migrator = new Migrator({ db: own.storage.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0015-refund-surplus-amount')).error, undefined);
    const db = own.storage.db as Kysely<any>;
    const indexes = async () =>
      (own.kind === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'callbacks'`.execute(db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'callbacks'`.execute(
            db,
          )
      ).rows.map((r) => r.name);
    assert.ok((await indexes()).includes('callbacks_attempt_idx'));
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const left = await indexes();
    assert.ok(!left.includes('callbacks_attempt_idx'));
    assert.ok(left.includes('callbacks_order_received_idx'), 'one payment’s callbacks are found through its order');
  } finally {
    await own.drop();
  }
});
