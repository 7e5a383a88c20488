import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { openStorage } from '../open-storage.js';
import type { Database } from '../schema.js';
import { GroupLost, groupCommit, MAX_GROUP } from './group-commit.js';

// Real SQLite files (WAL, synchronous=FULL) in a scratch folder, migrated as Settle migrates them.
const dir = mkdtempSync(join(tmpdir(), 'settle-group-commit-'));
let n = 0;
async function freshFile(): Promise<string> {
  const file = join(dir, `db-${++n}.sqlite`);
  const storage = openStorage(file);
  await storage.migrate();
  await storage.close();
  return file;
}

function open(file: string, opts: Parameters<typeof groupCommit>[2] = {}) {
  const conn = new SqliteDatabase(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
  return { conn, db, ...groupCommit(db, conn, opts) };
}

/** What another connection sees: committed rows only. */
function settingKeys(file: string): string[] {
  const other = new SqliteDatabase(file, { readonly: true });
  try {
    return (other.prepare('select key from settings order by key').all() as { key: string }[]).map((r) => r.key);
  } finally {
    other.close();
  }
}

const at = () => new Date().toISOString();
let file: string;
before(async () => {
  file = await freshFile();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('transactions asked for together share one commit, and each is answered after it', async () => {
  const f = await freshFile();
  const g = open(f, { beforeCommit: () => assert.deepEqual(settingKeys(f), []) });
  const keys = Array.from({ length: 10 }, (_, i) => `k.${String(i).padStart(2, '0')}`);
  await Promise.all(keys.map((k) => g.transaction((tx) => tx.putSetting(k, { k }, at()))));
  assert.deepEqual(g.stats, { groups: 1, members: 10 });
  assert.deepEqual(settingKeys(f), keys);
  await g.db.destroy();
});

test('a member that fails rolls back alone; the ones before and after it commit in the same group', async () => {
  const g = open(file);
  const boom = new Error('member b fails after writing');
  const results = await Promise.allSettled([
    g.transaction((tx) => tx.putSetting('a', 1, at())),
    g.transaction(async (tx) => {
      await tx.putSetting('b', 2, at());
      throw boom;
    }),
    g.transaction(async (tx) => {
      await tx.putSetting('c', 3, at());
      // A later member sees the earlier ones, as it would one transaction at a time.
      return tx.getSetting('a');
    }),
  ]);
  assert.equal(results[0].status, 'fulfilled');
  assert.deepEqual(results[1], { status: 'rejected', reason: boom });
  assert.deepEqual(results[2], { status: 'fulfilled', value: 1 });
  assert.deepEqual(g.stats, { groups: 1, members: 3 });
  assert.deepEqual(settingKeys(file), ['a', 'c']);
  await g.db.destroy();
});

test('a transaction alone in its turn runs without a savepoint: failing, it keeps nothing, and the next one commits', async () => {
  const f = await freshFile();
  const statements: string[] = [];
  const g = open(f);
  const prepare = g.conn.prepare.bind(g.conn);
  g.conn.prepare = ((sql: string) => (statements.push(sql), prepare(sql))) as typeof g.conn.prepare;
  const boom = new Error('the lone member fails after writing');
  await assert.rejects(
    g.transaction(async (tx) => {
      await tx.putSetting('lone', 1, at());
      throw boom;
    }),
    boom,
  );
  assert.equal(g.conn.inTransaction, false);
  await g.transaction((tx) => tx.putSetting('next', 2, at()));
  assert.deepEqual(settingKeys(f), ['next']);
  assert.deepEqual(g.stats, { groups: 2, members: 2 });
  assert.ok(!statements.some((sql) => /savepoint/i.test(sql)), 'no savepoint for a lone member');
  assert.ok(statements.includes('rollback'));
  await g.db.destroy();
});

test('each member runs in the async context of the request that asked for it', async () => {
  const g = open(file);
  const als = new AsyncLocalStorage<string>();
  const seen = await Promise.all(
    ['req-1', 'req-2', 'req-3'].map((id) => als.run(id, () => g.transaction(async () => als.getStore()))),
  );
  assert.deepEqual(seen, ['req-1', 'req-2', 'req-3']);
  assert.equal(g.stats.groups, 1);
  await g.db.destroy();
});

test('a turn carries at most MAX_GROUP members; the rest go in the next', async () => {
  const f = await freshFile();
  const g = open(f);
  const count = MAX_GROUP + 6;
  await Promise.all(Array.from({ length: count }, (_, i) => g.transaction((tx) => tx.putSetting(`m.${i}`, i, at()))));
  assert.deepEqual(g.stats, { groups: 2, members: count });
  assert.equal(settingKeys(f).length, count);
  await g.db.destroy();
});

test('a failed COMMIT answers every member with GroupLost and keeps none of them', async () => {
  const f = await freshFile();
  // A deferred foreign-key violation made just before COMMIT makes the COMMIT itself fail.
  const g = open(f, {
    beforeCommit: () => {
      g.conn.pragma('defer_foreign_keys = ON');
      g.conn
        .prepare(
          "insert into order_events (order_id, seq, at, kind, actor, summary) values ('no-such-order', 1, '', 'x', 'x', 'x')",
        )
        .run();
    },
  });
  const results = await Promise.allSettled(['x', 'y'].map((k) => g.transaction((tx) => tx.putSetting(k, k, at()))));
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof GroupLost, String(r.reason));
  }
  assert.equal(g.conn.inTransaction, false);
  assert.deepEqual(settingKeys(f), []);
  // The connection is usable again: the next turn commits.
  const h = open(f);
  await h.transaction((tx) => tx.putSetting('after', 1, at()));
  assert.deepEqual(settingKeys(f), ['after']);
  await g.db.destroy();
  await h.db.destroy();
});

test('when SQLite ends the transaction under a member, the members before it are lost and the ones after run next turn', async () => {
  const f = await freshFile();
  const g = open(f);
  const gone = new Error('disk I/O error');
  const results = await Promise.allSettled([
    g.transaction((tx) => tx.putSetting('before', 1, at())),
    g.transaction(async (tx) => {
      await tx.putSetting('victim', 1, at());
      // What SQLite does on SQLITE_FULL or SQLITE_IOERR: the whole transaction is rolled back.
      g.conn.exec('rollback');
      throw gone;
    }),
    g.transaction((tx) => tx.putSetting('later', 1, at())),
  ]);
  assert.equal(results[0].status, 'rejected');
  assert.ok((results[0] as PromiseRejectedResult).reason instanceof GroupLost);
  assert.deepEqual(results[1], { status: 'rejected', reason: gone });
  assert.equal(results[2].status, 'fulfilled');
  assert.deepEqual(g.stats, { groups: 2, members: 4 });
  assert.deepEqual(settingKeys(f), ['later']);
  await g.db.destroy();
});

/** Runs the child on `f`; resolves with its messages once it exits (or is killed at before-commit). */
function runChild(f: string, size: number, stopBeforeCommit: boolean) {
  return new Promise<{ type: string; members?: number }[]>((resolve, reject) => {
    const child = fork(join(import.meta.dirname, '../../../test/support/group-commit-child.ts'), [f, String(size)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, STOP_BEFORE_COMMIT: stopBeforeCommit ? '1' : '0' },
    });
    const seen: { type: string; members?: number }[] = [];
    child.on('message', (m: { type: string; members?: number }) => {
      seen.push(m);
      if (m.type === 'before-commit' && stopBeforeCommit) child.kill('SIGKILL');
      if (!stopBeforeCommit && seen.filter((s) => s.type === 'acked').length === size) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(seen));
  });
}

test('a process killed between a group’s statements and its COMMIT acknowledged none, and kept none', async () => {
  const f = await freshFile();
  const seen = await runChild(f, 8, true);
  assert.deepEqual(seen, [{ type: 'before-commit', members: 8 }]);
  assert.deepEqual(settingKeys(f), []);
  // The same child left to commit answers all eight, and they are there: the test can see a commit.
  const committed = await runChild(f, 8, false);
  assert.equal(committed.filter((m) => m.type === 'acked').length, 8);
  assert.equal(settingKeys(f).length, 8);
});

test('a member that changed far more than 64 KB of pages still rolls back alone, with the store’s own settings', async () => {
  // openStorage's connection keeps the savepoints' journal in memory (temp_store); the pages a
  // member changes must already exist to be journaled at all, hence the first commit.
  const f = await freshFile();
  const storage = openStorage(f);
  const before = 'b'.repeat(2000);
  await storage.transaction(async (tx) => {
    for (let i = 0; i < 200; i++) await tx.putSetting(`big.${String(i).padStart(3, '0')}`, { v: before }, at());
  });
  const failing = storage.transaction(async (tx) => {
    for (let i = 0; i < 200; i++)
      await tx.putSetting(`big.${String(i).padStart(3, '0')}`, { v: 'a'.repeat(2000) }, at());
    throw new Error('this member fails');
  });
  const neighbour = storage.transaction((tx) => tx.putSetting('kept', { ok: true }, at()));
  await assert.rejects(failing, /this member fails/);
  await neighbour;
  await storage.close();
  const other = new SqliteDatabase(f, { readonly: true });
  try {
    const rows = other.prepare("select value from settings where key like 'big.%'").all() as { value: string }[];
    assert.equal(rows.length, 200);
    assert.ok(rows.every((r) => (JSON.parse(r.value) as { v: string }).v === before));
  } finally {
    other.close();
  }
  assert.ok(settingKeys(f).includes('kept'));
});
