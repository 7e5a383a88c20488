import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { allRows, compileBuilder } from './row-builder.js';

test('rows built from raw values equal better-sqlite3’s own objects, key order included', () => {
  const conn = new SqliteDatabase(':memory:');
  conn.exec(`create table t (id integer primary key, "odd ""name""" text, "constructor" text, n real)`);
  conn.prepare('insert into t values (?, ?, ?, ?)').run(1, 'a', 'c', 1.5);
  conn.prepare('insert into t values (?, ?, ?, ?)').run(2, null, null, null);
  const stmt = conn.prepare('select * from t where id >= ? order by id');
  const own = stmt.all([1]) as object[];
  const ours = allRows(stmt, [1]);
  assert.deepEqual(ours, own);
  assert.deepEqual(Object.keys(ours[0]!), Object.keys(own[0]!));
  // The statement is back in object mode for Kysely's driver.
  assert.deepEqual(stmt.all([2]), [{ id: 2, 'odd "name"': null, constructor: null, n: null }]);
  assert.deepEqual(allRows(stmt, [3]), []);
});

test('a later column of the same name wins, as in better-sqlite3', () => {
  const conn = new SqliteDatabase(':memory:');
  const stmt = conn.prepare('select 1 as a, 2 as b, 3 as a');
  assert.deepEqual(allRows(stmt, []), stmt.all());
  assert.deepEqual(compileBuilder(['a', 'b', 'a'])([1, 2, 3]), { a: 3, b: 2 });
});

test('after a migration adds a column, `select *` rows carry it', () => {
  const conn = new SqliteDatabase(':memory:');
  conn.exec('create table t (id integer primary key, name text)');
  conn.prepare('insert into t values (1, ?)').run('a');
  const stmt = conn.prepare('select * from t');
  assert.deepEqual(allRows(stmt, []), [{ id: 1, name: 'a' }]);
  conn.exec("alter table t add column locale text not null default 'en'");
  assert.deepEqual(allRows(stmt, []), [{ id: 1, name: 'a', locale: 'en' }]);
});
