import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import type { Database } from '../schema.js';
import { readCompiled } from './compiled-reads.js';
import type { Dialect, RepoContext } from './context.js';

// Compiling needs no connection: each context's db only records what it is asked to run.
function recording(dialect: Dialect, answer: unknown[] = []) {
  const seen: CompiledQuery[] = [];
  const db =
    dialect === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) })
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) });
  // Its own executeQuery stands in front of Kysely's (a Proxy would hide the private fields).
  Object.assign(db, {
    executeQuery: async (q: CompiledQuery) => {
      seen.push(q);
      return { rows: answer };
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
    // On PostgreSQL a whole-row read comes back as one jsonb column a row; the rest is Kysely's SQL.
    const expected = kysely('ord_1', 'pending').sql;
    assert.equal(
      seen[0]!.sql,
      dialect === 'postgres'
        ? expected.replace('select * from "refunds"', 'select to_jsonb("refunds") as "r" from "refunds"')
        : expected,
    );
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

test('postgres: whole rows are read as jsonb and handed back as rows; a read of some columns is sent as built', async () => {
  const row = { id: 'rf_1', amount: 1500, status: 'pending' };
  const { seen, ctx } = recording('postgres', [{ r: row }]);
  const rows = await readCompiled(
    ctx,
    'test.json',
    (k, s) => k.selectFrom('refunds').selectAll().where('id', '=', s(0)),
    ['rf_1'],
  );
  assert.deepEqual(rows, [row]);
  assert.match(seen[0]!.sql, /^select to_jsonb\("refunds"\) as "r" from "refunds" where "id" = \$1$/);

  const some = recording('postgres', [{ value: 'x' }]);
  const values = await readCompiled(
    some.ctx,
    'test.columns',
    (k, s) => k.selectFrom('settings').select('value').where('key', '=', s(0)),
    ['k'],
  );
  assert.deepEqual(values, [{ value: 'x' }]);
  assert.equal(some.seen[0]!.sql, 'select "value" from "settings" where "key" = $1');
});
