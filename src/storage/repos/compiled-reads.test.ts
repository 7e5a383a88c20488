import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import type { Database } from '../schema.js';
import { readCompiled } from './compiled-reads.js';
import type { Dialect, RepoContext } from './context.js';

// Compiling needs no connection: each context's db only records what it is asked to run.
function recording(dialect: Dialect) {
  const seen: CompiledQuery[] = [];
  const db =
    dialect === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) })
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) });
  // Its own executeQuery stands in front of Kysely's (a Proxy would hide the private fields).
  Object.assign(db, {
    executeQuery: async (q: CompiledQuery) => {
      seen.push(q);
      return { rows: [] };
    },
  });
  return { db, seen, ctx: { db, dialect, run: (q: CompiledQuery) => db.executeQuery(q) } as unknown as RepoContext };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`${dialect}: a compiled read is Kysely's own SQL with this call's values, built once`, async () => {
    const { db, seen, ctx } = recording(dialect);
    let built = 0;
    const read = (orderId: string, status: string) =>
      readCompiled(
        ctx,
        `test.read.${dialect}`,
        (k, s) => {
          built += 1;
          return k
            .selectFrom('refunds')
            .selectAll()
            .where('order_id', '=', s(0))
            .where('status', '=', s(1))
            .orderBy('created_at')
            .limit(s(2));
        },
        [orderId, status, 5],
      );
    await read('ord_1', 'pending');
    await read("ord_2'; drop table orders; --", 'succeeded');
    const kysely = (orderId: string, status: string) =>
      db
        .selectFrom('refunds')
        .selectAll()
        .where('order_id', '=', orderId)
        .where('status', '=', status)
        .orderBy('created_at')
        .limit(5)
        .compile();
    assert.equal(built, 1, 'built once, then taken from the cache');
    assert.equal(seen[0]!.sql, kysely('ord_1', 'pending').sql);
    assert.deepEqual(seen[0]!.parameters, kysely('ord_1', 'pending').parameters);
    assert.deepEqual(seen[1]!.parameters, kysely("ord_2'; drop table orders; --", 'succeeded').parameters);
  });
}

test('a constant in a compiled read is refused: every value must be a slot', async () => {
  const { ctx } = recording('sqlite');
  await assert.rejects(
    readCompiled(ctx, 'test.constant', (k) => k.selectFrom('orders').selectAll().where('id', '=', 'ord_1'), []),
    /constant parameter/,
  );
});
