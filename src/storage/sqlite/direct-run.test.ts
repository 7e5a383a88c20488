import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { directRun } from './direct-run.js';
import { cachingStatements } from './statement-cache.js';

function open() {
  const conn = new SqliteDatabase(':memory:');
  conn.exec('create table t (id integer primary key, name text not null)');
  const statements = cachingStatements(conn);
  return {
    run: directRun(statements),
    kysely: new Kysely<never>({ dialect: new SqliteDialect({ database: statements }) }),
  };
}

test('a direct run answers as Kysely’s SQLite driver does: rows for a read, changes and rowid for a write', async () => {
  const { run, kysely } = open();
  const insert = (...names: string[]) => CompiledQuery.raw('insert into t (name) values (?), (?)', names);
  assert.deepEqual(await run(insert('a', 'b')), { rows: [], numAffectedRows: 2n, insertId: 2n });
  assert.deepEqual(await kysely.executeQuery(insert('c', 'd')), { rows: [], numAffectedRows: 2n, insertId: 4n });
  const read = CompiledQuery.raw('select id, name from t where id <= ? order by id', [2]);
  assert.deepEqual(await run(read), await kysely.executeQuery(read));
  assert.deepEqual((await run(read)).rows, [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ]);
  const update = CompiledQuery.raw('update t set name = ? where id > ?', ['z', 2]);
  assert.deepEqual(await run(update), { rows: [], numAffectedRows: 2n, insertId: 4n });
});

test('a statement SQLite refuses is a rejected promise, not a throw', async () => {
  const { run } = open();
  const bad = run(CompiledQuery.raw('insert into t (name) values (?)', [null]));
  assert.ok(bad instanceof Promise);
  await assert.rejects(bad, /NOT NULL constraint failed/);
  await assert.rejects(run(CompiledQuery.raw('select nope from t', [])), /no such column/);
});
