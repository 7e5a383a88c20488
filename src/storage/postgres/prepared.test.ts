import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { MAX_NAMED, MAX_NAMED_LENGTH, PreparedStatements } from './prepared.js';

test('a text is named the second time it is seen, and keeps its name', () => {
  const s = new PreparedStatements();
  assert.equal(s.nameFor('select 1'), undefined);
  const name = s.nameFor('select 1');
  assert.match(name ?? '', /^settle_/);
  assert.equal(s.nameFor('select 1'), name);
  s.nameFor('select 2');
  assert.notEqual(s.nameFor('select 2'), name);
});

test('long texts and texts past the limit stay unnamed', () => {
  const s = new PreparedStatements();
  const long = `select '${'x'.repeat(MAX_NAMED_LENGTH)}'`;
  s.nameFor(long);
  assert.equal(s.nameFor(long), undefined);
  for (let i = 0; i < MAX_NAMED; i++) {
    s.nameFor(`select ${i}`);
    s.nameFor(`select ${i}`);
  }
  assert.equal(s.size, MAX_NAMED);
  s.nameFor('select -1');
  assert.equal(s.nameFor('select -1'), undefined);
  assert.equal(s.size, MAX_NAMED);
});

/** A client that records what it was asked and fails as told. */
function fakeClient(fail?: { code: string }) {
  const asked: unknown[] = [];
  const client = {
    query: async (config: unknown, values?: unknown) => {
      asked.push(values === undefined ? config : { text: config, values });
      if (fail && typeof config === 'object') throw Object.assign(new Error('failed'), fail);
      return { command: 'SELECT', rowCount: 0, rows: [] };
    },
  };
  return { client: client as unknown as pg.ClientBase, asked };
}

test('a named statement goes out with its name, text and values', async () => {
  const s = new PreparedStatements();
  const { client, asked } = fakeClient();
  await s.query(client, 'select $1', [1]);
  await s.query(client, 'select $1', [2]);
  assert.deepEqual(asked, [
    { text: 'select $1', values: [1] },
    { name: s.nameFor('select $1'), text: 'select $1', values: [2] },
  ]);
});

test('a statement whose result changed under its name (0A000) loses the name; other errors keep it', async () => {
  const s = new PreparedStatements();
  const other = fakeClient({ code: '23505' });
  s.nameFor('select * from t');
  const name = s.nameFor('select * from t');
  await assert.rejects(s.query(other.client, 'select * from t', []));
  assert.equal(s.nameFor('select * from t'), name);
  const changed = fakeClient({ code: '0A000' });
  await assert.rejects(s.query(changed.client, 'select * from t', []), { code: '0A000' });
  assert.equal(s.nameFor('select * from t'), undefined);
  const renamed = s.nameFor('select * from t');
  assert.ok(renamed && renamed !== name);
});
