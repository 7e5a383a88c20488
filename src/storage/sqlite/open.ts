import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { StoreDriver } from '../store-driver.js';
import { directRun } from './direct-run.js';
import { groupCommit } from './group-commit.js';
import { cachingStatements } from './statement-cache.js';
import { leaseExclusive } from './lease-lock.js';

/** WAL pages past which a commit checkpoints (SQLite's default is 1,000). */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/** A SQLite file (or :memory:) in WAL mode with durable commits; concurrent transactions share a commit (group-commit.ts). */
export function openSqlite(path: string): StoreDriver {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const conn = new SqliteDatabase(file);
  // Durable commits before any acknowledgement; waits (not fails) while another process writes.
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = FULL');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('foreign_keys = ON');
  // Each member of a shared commit runs in a savepoint, and SQLite copies every page a savepoint
  // changes to a statement journal first, spilled to a temporary file past 64 KB: a callback's
  // writes pass that, so every member wrote its pages to disk with a syscall each (an eighth of the
  // server's CPU). That journal only serves a rollback to the savepoint, never crash recovery
  // (the WAL does), so it lives in memory. So do the sorts behind a GROUP BY (a report's totals),
  // which costs memory in proportion to the rows grouped.
  conn.pragma('temp_store = MEMORY');
  // A commit that finds the WAL past this many pages copies them into the database file and
  // fsyncs it, on the main thread. At SQLite's default of 1,000 pages (4 MB) a callback's dozen
  // pages made that 14 times a second at 1,100 callbacks/s; at 4,000 (a WAL of 16 MB) it comes a
  // quarter as often, and since a checkpoint copies each page once however often it was
  // rewritten, its work grows by less than its pages. Measured (docs/benchmarks.md, 2026-12-08):
  // the half-rate tail and the rate at 8 connections improved.
  // Larger WALs made the rarer checkpoints long enough to show in the tails again.
  conn.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // SQLite plans by its statistics, and nothing else gathers them: without, a list filtered by
  // a reference's start reads a million rows instead of fifty (bench/orders). optimize
  // analyses what needs it, bounded by analysis_limit; the janitor repeats it (optimize()).
  conn.pragma('analysis_limit = 1000');
  conn.pragma('optimize = 0x10002');
  const statements = cachingStatements(conn);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  // Concurrent transactions share one BEGIN IMMEDIATE … COMMIT, each in its own savepoint
  // (group-commit.ts): the commit's fsync is paid once per turn, not once per transaction.
  const { transaction } = groupCommit(db, conn, { statements });
  // A plain read (a callback's payment method and attempt, before its transaction) runs straight
  // on the connection when no transaction is open on it: better-sqlite3 runs it to the end at
  // once, so it sees only what is committed, and Kysely's way there (its connection mutex and
  // executor) cost more than the read. While a turn is open the read waits for it through Kysely,
  // as before: run on the connection then, it would see the turn's uncommitted writes.
  const direct = directRun(statements);
  return {
    kind: 'sqlite',
    db,
    transaction,
    readRun: (query, viaKysely) => (conn.inTransaction ? viaKysely.executeQuery(query) : direct(query)),
    exclusive: leaseExclusive(transaction),
    async optimize() {
      // PostgreSQL's autovacuum keeps its statistics; SQLite has only this.
      await sql`pragma optimize`.execute(db);
    },
  };
}
