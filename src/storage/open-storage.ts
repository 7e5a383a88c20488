import { Migrator, sql, type Kysely } from 'kysely';
import type { Storage } from '../ports/storage.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';
import { openPostgres } from './postgres/open.js';
import { repositorySlot } from './repository.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open.js';
import type { StoreDriver } from './store-driver.js';

export interface OpenedStorage extends Storage {
  /** Runs pending migrations; safe to call from several processes at once (see migrate below). */
  migrate(): Promise<void>;
  /** Whether every known migration has run. */
  migrationsCurrent(): Promise<boolean>;
  readonly db: Kysely<Database>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** `postgres://…` opens PostgreSQL; `sqlite:PATH`, `file:PATH` or a plain path opens SQLite. */
export function openStorage(url: string, opts: { poolSize?: number } = {}): OpenedStorage {
  return build(
    isPostgresUrl(url)
      ? openPostgres(url, opts.poolSize ?? 10)
      : openSqlite(url.replace(/^(sqlite|file):(\/\/)?/i, '')),
  );
}

function build(driver: StoreDriver): OpenedStorage {
  const { db, kind } = driver;
  const migrator = new Migrator({ db, provider: migrationProvider });
  const running = new Set<string>();
  return {
    kind,
    db,
    read: repositorySlot(kind, driver.readRun).bind(db, null),
    transaction: (fn) => driver.transaction(fn),
    async runExclusive(name, fn) {
      // In this process, one at a time; across processes, PostgreSQL's advisory lock (held on
      // one connection for the job's duration), or on SQLite a lease row that expires if its
      // holder dies.
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        return await driver.exclusive(name, fn);
      } finally {
        running.delete(name);
      }
    },
    optimize: () => driver.optimize(),
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async migrate() {
      // Kysely takes no migration lock on SQLite: when several processes start on a fresh file,
      // the first one's transaction wins and the others fail on "already exists". A loser
      // checks whether the winner finished them, and only then gives up.
      for (let attempt = 1; ; attempt++) {
        const { error } = await migrator.migrateToLatest();
        if (!error) return;
        if (kind !== 'sqlite' || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
        if (await this.migrationsCurrent()) return;
      }
    },
    async migrationsCurrent() {
      try {
        const all = await migrator.getMigrations();
        return all.every((m) => m.executedAt !== undefined) && all.some((m) => m.name === LATEST_MIGRATION);
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
