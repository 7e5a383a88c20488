import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { isPostgresUrl, openStorage, type OpenedStorage } from '../../src/storage/open-storage.js';

export interface TestStore {
  storage: OpenedStorage;
  /** The URL another process can open the same database with. */
  url: string;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: on PostgreSQL (when DATABASE_URL is set) a new
 * database beside the one named; otherwise a SQLite file in a temporary folder. The same tests
 * run on both.
 */
export async function freshStore(opts: { databaseUrl?: string } = {}): Promise<TestStore> {
  // opts.databaseUrl: a test's own PostgreSQL cluster instead of DATABASE_URL (test/support/pg-cluster.ts).
  const base = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (base && isPostgresUrl(base)) {
    const name = `settle_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const storage = openStorage(url.toString(), { poolSize: 20 });
    await storage.migrate();
    return {
      storage,
      url: url.toString(),
      kind: 'postgres',
      async drop() {
        await storage.close().catch(() => undefined);
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'settle-test-'));
  const url = `sqlite:${join(dir, 'settle.db')}`;
  const storage = openStorage(url);
  await storage.migrate();
  return {
    storage,
    url,
    kind: 'sqlite',
    async drop() {
      await storage.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
