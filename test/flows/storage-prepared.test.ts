import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { PreparedStatements } from '../../src/storage/postgres/prepared.js';
import { isStorageDown } from '../../src/web/storage-down.js';
import { freshStore, type TestStore } from '../support/store.js';

// On PostgreSQL, statements run again go under a name, parsed once per connection
// (src/storage/postgres/prepared.ts). These need a PostgreSQL server: the PostgreSQL run has one.

let store: TestStore;
let client: pg.Client | null = null;
before(async () => {
  store = await freshStore();
  if (store.kind !== 'postgres') return;
  client = new pg.Client({ connectionString: store.url });
  await client.connect();
});
after(async () => {
  await client?.end();
  await store.drop();
});

const onPostgres = () => ({ skip: process.env.DATABASE_URL?.startsWith('postgres') ? false : 'PostgreSQL only' });

const prepared = async (c: pg.Client) =>
  (await c.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements')).rows;

test('a statement run again is prepared once on the connection and answers as before', onPostgres(), async () => {
  const c = client!;
  const s = new PreparedStatements();
  const text = 'select $1::int + 1 as n';
  const answers = [];
  for (const v of [1, 2, 3]) answers.push((await s.query(c, text, [v])).rows);
  assert.deepEqual(answers, [[{ n: 2 }], [{ n: 3 }], [{ n: 4 }]]);
  assert.deepEqual(await prepared(c), [{ name: s.nameFor(text), statement: text }]);
});

test(
  'after a migration changes a prepared statement’s columns, one execution fails as retryable and the next is parsed afresh',
  onPostgres(),
  async () => {
    const c = client!;
    const s = new PreparedStatements();
    await c.query('create table prepared_probe (a int)');
    await c.query('insert into prepared_probe values (1)');
    const text = 'select * from prepared_probe where a = $1';
    await s.query(c, text, [1]);
    await s.query(c, text, [1]);
    await c.query('alter table prepared_probe add column b int default 7');
    // Answered 503 with Retry-After, as a retry cures it (src/web/storage-down.ts).
    await assert.rejects(
      s.query(c, text, [1]),
      (e: Error & { code?: string }) => e.code === '0A000' && isStorageDown(e),
    );
    assert.deepEqual((await s.query(c, text, [1])).rows, [{ a: 1, b: 7 }]);
  },
);
