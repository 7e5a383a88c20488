import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import type { Database } from '../schema.js';
import { insertRows, insertUnlessConflict, updateById } from './compiled-writes.js';
import type { Dialect, RepoContext } from './context.js';

// Compiling needs no connection: a PostgreSQL dialect over a pool that is never asked.
const dbs: Record<Dialect, Kysely<Database>> = {
  sqlite: new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) }),
  postgres: new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) }),
};
const ctxOf = (dialect: Dialect) => ({ db: dbs[dialect], dialect }) as RepoContext;

/** A context whose statements are recorded, not run; each answers with `rows`. */
const recordingCtx = (dialect: Dialect, rows: unknown[]) => {
  const seen: CompiledQuery[] = [];
  const ctx = { db: dbs[dialect], dialect, run: async (q: CompiledQuery) => (seen.push(q), { rows }) };
  return { ctx: ctx as unknown as RepoContext, seen };
};

const event = (seq: number, summary: string) => ({
  order_id: 'ord_1',
  seq,
  at: '2026-12-05T00:00:00.000Z',
  kind: 'note',
  actor: 'system',
  summary,
  attempt_id: null,
  task_kind: null,
  task_id: null,
  data: '{}',
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`${dialect}: an insert compiles to what Kysely builds, with this call's values, and the shape is compiled once`, () => {
    const db = dbs[dialect];
    const rows = [event(1, 'a'), event(2, "b'; drop table orders; --")];
    const mine = insertRows(ctxOf(dialect), 'order_events', rows).compile();
    const kysely = db.insertInto('order_events').values(rows).compile();
    assert.equal(mine.sql, kysely.sql);
    assert.deepEqual(mine.parameters, kysely.parameters);
    const again = insertRows(ctxOf(dialect), 'order_events', [event(3, 'c'), event(4, 'd')]).compile();
    assert.equal(again.sql, kysely.sql);
    assert.deepEqual(
      again.parameters,
      db
        .insertInto('order_events')
        .values([event(3, 'c'), event(4, 'd')])
        .compile().parameters,
    );
  });

  test(`${dialect}: an update by id leaves out undefined columns, as Kysely's set does`, () => {
    const db = dbs[dialect];
    const set = { status: 'paid', payment_status: undefined, review_status: 'approved', updated_at: 'now' };
    const mine = updateById(ctxOf(dialect), 'orders', set, 'ord_9').compile();
    const kysely = db
      .updateTable('orders')
      .set({ status: 'paid', review_status: 'approved', updated_at: 'now' })
      .where('id', '=', 'ord_9')
      .compile();
    assert.equal(mine.sql, kysely.sql);
    assert.deepEqual(mine.parameters, kysely.parameters);
  });

  test(`${dialect}: an insert unless it conflicts is Kysely's own SQL, and says whether the row went in`, async () => {
    const db = dbs[dialect];
    const row = event(1, "x'; --");
    const kysely = db
      .insertInto('order_events')
      .values(row)
      .onConflict((oc) => oc.columns(['order_id', 'seq']).doNothing())
      .returning('id' as never)
      .compile();
    const went = recordingCtx(dialect, [{ id: 1 }]);
    assert.equal(await insertUnlessConflict(went.ctx, 'order_events', row, ['order_id', 'seq']), true);
    assert.equal(went.seen[0]!.sql, kysely.sql);
    assert.deepEqual(went.seen[0]!.parameters, kysely.parameters);
    const conflicted = recordingCtx(dialect, []);
    assert.equal(await insertUnlessConflict(conflicted.ctx, 'order_events', row, ['order_id', 'seq']), false);
  });

  test(`${dialect}: a computed column is Kysely's own SQL too, its slots filled with this call's values of the row`, async () => {
    const db = dbs[dialect];
    const { seq: _seq, ...row } = event(0, 's');
    const next = (orderId: unknown) => sql<number>`(select count(*) + 1 from order_events where order_id = ${orderId})`;
    for (const orderId of ['ord_1', "ord_2'; --"]) {
      const kysely = db
        .insertInto('order_events')
        .values({ ...row, order_id: orderId, seq: next(orderId) })
        .onConflict((oc) => oc.columns(['order_id', 'seq']).doNothing())
        .returning('id' as never)
        .compile();
      const went = recordingCtx(dialect, [{ id: 1 }]);
      const computed = { seq: (slot: (c: string) => unknown) => next(slot('order_id')) };
      assert.equal(
        await insertUnlessConflict(
          went.ctx,
          'order_events',
          { ...row, order_id: orderId },
          ['order_id', 'seq'],
          computed,
        ),
        true,
      );
      assert.equal(went.seen[0]!.sql, kysely.sql);
      assert.deepEqual(went.seen[0]!.parameters, kysely.parameters);
    }
    await assert.rejects(
      insertUnlessConflict(recordingCtx(dialect, []).ctx, 'order_events', row, ['order_id'], {
        seq: (slot) => next(slot('nowhere')),
      }),
      /no value for nowhere/,
    );
  });
}

test('rows that write different columns are refused, not guessed at', () => {
  assert.throws(
    () => insertRows(ctxOf('sqlite'), 'order_events', [event(1, 'a'), { ...event(2, 'b'), data: undefined }]),
    /differ in columns/,
  );
});
