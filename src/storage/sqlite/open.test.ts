import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openSqlite, WAL_AUTOCHECKPOINT_PAGES } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'settle-sqlite-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pragma = async (db: ReturnType<typeof openSqlite>['db'], name: string) =>
  Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];

test('a SQLite store commits durably in WAL mode, and its WAL is checkpointed before it passes its limit by much', async () => {
  const file = join(dir, 'store.sqlite');
  const { db } = openSqlite(file);
  try {
    assert.equal(await pragma(db, 'journal_mode'), 'wal');
    assert.equal(await pragma(db, 'synchronous'), 2); // FULL: the WAL is fsynced at every commit
    assert.equal(await pragma(db, 'wal_autocheckpoint'), WAL_AUTOCHECKPOINT_PAGES);
    const pageSize = Number(await pragma(db, 'page_size'));
    await sql`create table filler (b blob not null)`.execute(db);
    // Eight commits of about a quarter of the limit each: without checkpoints the WAL would hold
    // twice the limit; with them it is restarted once a commit finds it past the limit.
    const quarter = Math.ceil(WAL_AUTOCHECKPOINT_PAGES / 4);
    for (let i = 0; i < 8; i++) {
      await sql`with recursive c(n) as (select 1 union all select n + 1 from c where n < ${quarter})
        insert into filler select randomblob(${pageSize - 100}) from c`.execute(db);
    }
    const walPages = statSync(`${file}-wal`).size / (pageSize + 24);
    assert.ok(walPages < WAL_AUTOCHECKPOINT_PAGES * 1.5, `the WAL holds ${Math.round(walPages)} pages`);
    assert.ok(walPages > WAL_AUTOCHECKPOINT_PAGES / 2, `the WAL holds only ${Math.round(walPages)} pages`);
  } finally {
    await db.destroy();
  }
});
