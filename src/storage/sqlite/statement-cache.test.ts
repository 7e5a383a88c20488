import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { cachingStatements } from './statement-cache.js';

function fresh() {
  const conn = new SqliteDatabase(':memory:');
  conn.exec('create table t (n integer)');
  conn.exec('insert into t values (1), (2), (3)');
  return conn;
}

test('the same SQL gets the same prepared statement, and it runs with new parameters each time', () => {
  const db = cachingStatements(fresh());
  const a = db.prepare('select n from t where n >= ?');
  const b = db.prepare('select n from t where n >= ?');
  assert.equal(a, b);
  assert.deepEqual(b.all([2]), [{ n: 2 }, { n: 3 }]);
  assert.deepEqual(a.all([3]), [{ n: 3 }]);
});

test('a statement busy in an iteration is not handed out again: the second caller gets its own', () => {
  const db = cachingStatements(fresh());
  const sql = 'select n from t order by n';
  const outer = db.prepare(sql).iterate([]);
  const seen: number[] = [];
  for (const row of outer as Iterable<{ n: number }>) {
    seen.push(row.n);
    // A read while the stream is open, as a streamed export's per-row lookups would make.
    assert.deepEqual(db.prepare(sql).all([]).length, 3);
  }
  assert.deepEqual(seen, [1, 2, 3]);
});

test('past the limit the least recently used statement is the one prepared anew', () => {
  const db = cachingStatements(fresh(), 2);
  const one = db.prepare('select 1');
  const two = db.prepare('select 2');
  assert.equal(db.prepare('select 1'), one); // used again: now the most recent
  db.prepare('select 3'); // the limit is 2: "select 2" leaves
  assert.equal(db.prepare('select 1'), one);
  assert.notEqual(db.prepare('select 2'), two);
});
