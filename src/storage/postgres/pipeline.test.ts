import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompiledQuery, Kysely } from 'kysely';
import type pg from 'pg';
import { Pipeline, runPipelined, TransactionNotCommitted } from './pipeline.js';
import { PreparedStatements, type QueryResultLike } from './prepared.js';

/**
 * A pg client whose answers are scripted by statement text; it records the texts in the order
 * they were sent. `hold` keeps a statement's answer until release() (to see what goes out
 * before it has answered).
 */
function scriptedClient(answers: Record<string, QueryResultLike | Error>, hold?: string) {
  const sent: string[] = [];
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const client = {
    query: async (config: string | { text: string }) => {
      const text = typeof config === 'string' ? config : config.text;
      sent.push(text);
      if (text === hold) await held;
      const a = answers[text] ?? { command: 'SELECT', rowCount: 0, rows: [] };
      if (a instanceof Error) throw a;
      return a;
    },
  };
  return { client: client as unknown as pg.PoolClient, sent, release };
}

const q = (sql: string, parameters: unknown[] = []) => ({ sql, parameters }) as unknown as CompiledQuery;
const fakeDb = () =>
  ({ executeQuery: async () => ({ rows: [{ via: 'kysely' }] }) }) as unknown as Kysely<Record<string, never>>;

test('runPipelined answers as Kysely would: rows for a read, the rows changed for a write', async () => {
  const { client } = scriptedClient({
    'select 1': { command: 'SELECT', rowCount: 1, rows: [{ one: 1 }] },
    'update t': { command: 'UPDATE', rowCount: 3, rows: [] },
    'insert into t': { command: 'INSERT', rowCount: 1, rows: [{ id: 'a' }] },
  });
  const db = fakeDb();
  new Pipeline(client, new PreparedStatements()).serve(db);
  assert.deepEqual(await runPipelined(q('select 1'), db), { rows: [{ one: 1 }], numAffectedRows: undefined });
  assert.deepEqual(await runPipelined(q('update t'), db), { rows: [], numAffectedRows: 3n });
  assert.deepEqual(await runPipelined(q('insert into t'), db), { rows: [{ id: 'a' }], numAffectedRows: 1n });
});

test('runPipelined on a Kysely with no pipeline goes through Kysely', async () => {
  assert.deepEqual(await runPipelined(q('select 1'), fakeDb()), { rows: [{ via: 'kysely' }] });
});

test('BEGIN goes out with a first read, before BEGIN has answered, and a failed BEGIN drops the read', async () => {
  const ok = scriptedClient({}, 'begin');
  const p = new Pipeline(ok.client, new PreparedStatements());
  p.begin();
  const read = p.together([q('select * from orders for update'), q('select 2')]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ok.sent, ['begin', 'select * from orders for update', 'select 2']);
  ok.release();
  assert.equal((await read).length, 2);

  const failed = scriptedClient({ begin: new Error('begin failed') });
  const f = new Pipeline(failed.client, new PreparedStatements());
  f.begin();
  await assert.rejects(f.together([q('select 1')]), /begin failed/);
});

test('a first write waits for BEGIN to answer before it goes out', async () => {
  const { client, sent, release } = scriptedClient({}, 'begin');
  const p = new Pipeline(client, new PreparedStatements());
  p.begin();
  const write = p.together([q('update orders set status = $1')]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, ['begin'], 'nothing may run outside the transaction');
  release();
  await write;
  assert.deepEqual(sent, ['begin', 'update orders set status = $1']);
});

test('COMMIT goes out with the held writes; a COMMIT answered ROLLBACK is never success', async () => {
  const committed = scriptedClient({ commit: { command: 'COMMIT', rowCount: null, rows: [] } });
  const p = new Pipeline(committed.client, new PreparedStatements());
  await p.commit(q('with w0 as (insert into t values (1)) select 1'));
  assert.deepEqual(committed.sent, ['with w0 as (insert into t values (1)) select 1', 'commit']);

  const rolledBack = scriptedClient({ commit: { command: 'ROLLBACK', rowCount: null, rows: [] } });
  await assert.rejects(new Pipeline(rolledBack.client, new PreparedStatements()).commit(null), TransactionNotCommitted);

  // The writes' own error comes first, not the COMMIT's answer to it.
  const failedWrite = scriptedClient({
    'insert into t': Object.assign(new Error('duplicate key'), { code: '23505' }),
    commit: { command: 'ROLLBACK', rowCount: null, rows: [] },
  });
  await assert.rejects(new Pipeline(failedWrite.client, new PreparedStatements()).commit(q('insert into t')), {
    code: '23505',
  });
});

test('a transaction asked nothing commits nothing, and sends no BEGIN', async () => {
  const { client, sent } = scriptedClient({});
  const p = new Pipeline(client, new PreparedStatements());
  p.begin();
  await p.commit(null);
  p.begin();
  await p.rollback();
  assert.deepEqual(sent, []);
});
