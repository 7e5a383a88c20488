import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { combine } from './write-batch.js';

test("combine numbers each query's placeholders after the ones before it", () => {
  const params = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
  const q = combine([
    CompiledQuery.raw('update "orders" set "status" = $1 where "id" = $2', ['paid', 'ord_1']),
    CompiledQuery.raw(`insert into "tasks" values (${params.map((_, i) => `$${i + 1}`).join(', ')})`, params),
    CompiledQuery.raw('insert into "outbox" ("payload") values ($1)', ['{"a":"$1"}']),
  ]);
  assert.equal(
    q.sql,
    'with w0 as (update "orders" set "status" = $1 where "id" = $2), ' +
      'w1 as (insert into "tasks" values ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)), ' +
      'w2 as (insert into "outbox" ("payload") values ($14)) select 1',
  );
  assert.deepEqual(q.parameters, ['paid', 'ord_1', ...params, '{"a":"$1"}']);
});

test('combine refuses a query whose placeholders do not match its parameters', () => {
  assert.throws(
    () => combine([CompiledQuery.raw('update "orders" set "status" = $1', ['paid', 'extra'])]),
    /placeholders do not match/,
  );
});
