import pg from 'pg';
import { isPostgresUrl, type OpenedStorage } from '../../src/storage/open-storage.js';
import { freshStore } from '../../test/support/store.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchStore {
  storage: OpenedStorage;
  /** The URL a measuring child process opens the same database with. */
  url: string;
  kind: StoreKind;
  /** Where a SQLite database lives (null on PostgreSQL). */
  sqliteFile: string | null;
  /** Closes this process's connections and deletes the database. */
  drop(): Promise<void>;
}

/** The store a bench process uses, by the tests' convention: DATABASE_URL = postgres://… is PostgreSQL, unset is SQLite. */
export function storeKindFromEnv(): StoreKind {
  const url = process.env.DATABASE_URL;
  return url && isPostgresUrl(url) ? 'postgres' : 'sqlite';
}

/** A fresh, migrated database for one measurement: the tests' own (test/support/store.ts), dropped after. */
export async function freshBenchStore(): Promise<BenchStore> {
  const s = await freshStore();
  return { ...s, sqliteFile: s.kind === 'sqlite' ? s.url.replace(/^sqlite:/, '') : null };
}

/** The server's version, e.g. "PostgreSQL 15.20", or SQLite's library version. */
export async function storeVersion(kind: StoreKind, url: string): Promise<string> {
  if (kind === 'postgres') {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ v: string; av: string; sb: string }>(
        "select current_setting('server_version') as v, current_setting('autovacuum') as av, current_setting('shared_buffers') as sb",
      );
      const r = rows[0];
      // Autovacuum decides when the planner learns how big report_lines has grown during an import.
      return r ? `PostgreSQL ${r.v.split(' ')[0]} (autovacuum ${r.av}, shared_buffers ${r.sb})` : 'PostgreSQL';
    } finally {
      await c.end();
    }
  }
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(':memory:');
  try {
    const row = db.prepare('select sqlite_version() as v').get() as { v: string };
    return `SQLite ${row.v} (better-sqlite3)`;
  } finally {
    db.close();
  }
}

/** Whether a PostgreSQL server answers at `url` (the bench skips PostgreSQL, with a note, when none does). */
export async function postgresReachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await c.end().catch(() => undefined);
  }
}
