// The crash test's child (group-commit.test.ts): opens the SQLite file it is given, starts
// GROUP transactions in one tick so they share a commit, and tells its parent when the group is
// about to COMMIT and when each transaction is answered. With STOP_BEFORE_COMMIT=1 it then waits
// forever, so the parent can SIGKILL it between the group's statements and its COMMIT.
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../src/storage/schema.js';
import { groupCommit } from '../../src/storage/sqlite/group-commit.js';

const [file, size] = [process.argv[2]!, Number(process.argv[3])];
const conn = new SqliteDatabase(file);
conn.pragma('journal_mode = WAL');
conn.pragma('synchronous = FULL');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
const stop = process.env.STOP_BEFORE_COMMIT === '1';
const { transaction } = groupCommit(db, conn, {
  beforeCommit(n) {
    process.send!({ type: 'before-commit', members: n });
    // Block the thread (not just the event loop) so nothing, COMMIT included, runs until the kill.
    if (stop) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
for (let i = 0; i < size; i++) {
  void transaction((tx) => tx.putSetting(`crash.${i}`, { i }, new Date().toISOString())).then(
    () => process.send!({ type: 'acked', i }),
    (e: unknown) => process.send!({ type: 'failed', i, error: String(e) }),
  );
}
