import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { freshStore, type TestStore } from '../support/store.js';

let store: TestStore;
before(async () => {
  store = await freshStore();
});
after(async () => {
  await store.drop();
});

test('a job runs in one place at a time, across two connections to the same database', async () => {
  const other = openStorage(store.url);
  try {
    let inner: string | undefined = 'not run';
    let sameProcess: string | undefined = 'not run';
    const outer = await store.storage.runExclusive('sweep', async () => {
      inner = await other.runExclusive('sweep', async () => 'ran');
      sameProcess = await store.storage.runExclusive('sweep', async () => 'ran');
      return 'outer';
    });
    assert.equal(outer, 'outer');
    assert.equal(inner, undefined, 'another process (connection) is kept out');
    assert.equal(sameProcess, undefined, 'the same process does not overlap itself');
    assert.equal(await other.runExclusive('sweep', async () => 'after'), 'after', 'released when done');
  } finally {
    await other.close();
  }
});

test('several processes migrating a fresh database at once all end with current migrations', async () => {
  if (store.kind !== 'sqlite') {
    // PostgreSQL: Kysely's migrator locks its own table; the same check still holds.
    assert.equal(await store.storage.migrationsCurrent(), true);
    return;
  }
  const url = store.url.replace(/settle\.db$/, 'race.db');
  const opened = [openStorage(url), openStorage(url), openStorage(url)];
  try {
    await Promise.all(opened.map((s) => s.migrate()));
    for (const s of opened) assert.equal(await s.migrationsCurrent(), true);
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
});
