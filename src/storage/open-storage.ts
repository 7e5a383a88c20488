import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Storage, StorageTx } from '../ports/storage.js';
import { KyselyRepo, type Dialect } from './kysely-repo.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';
import { batched, WriteBatch } from './write-batch.js';
import type { Database } from './schema.js';

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
  return isPostgresUrl(url)
    ? openPostgres(url, opts.poolSize ?? 10)
    : openSqlite(url.replace(/^(sqlite|file):(\/\/)?/i, ''));
}

function openSqlite(path: string): OpenedStorage {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const conn = new SqliteDatabase(file);
  // Durable commits before any acknowledgement; waits (not fails) while another process writes.
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = FULL');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('foreign_keys = ON');
  // SQLite plans by its statistics, and nothing else gathers them: without, a list filtered by
  // a reference's start reads a million rows instead of fifty (bench/orders). optimize
  // analyses what needs it, bounded by analysis_limit; the janitor repeats it (optimize()).
  conn.pragma('analysis_limit = 1000');
  conn.pragma('optimize = 0x10002');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
  return build(db, 'sqlite', async (fn) =>
    // Kysely's SQLite driver holds one connection behind a mutex; take it for the whole
    // transaction and open it with BEGIN IMMEDIATE so the write lock is held from the start
    // (a plain BEGIN could fail with SQLITE_BUSY on its first write under contention).
    db.connection().execute(async (c) => {
      await sql`begin immediate`.execute(c);
      try {
        const result = await fn(new KyselyRepo(c, 'sqlite'));
        await sql`commit`.execute(c);
        return result;
      } catch (e) {
        await sql`rollback`.execute(c).catch(() => undefined);
        throw e;
      }
    }),
  );
}

function openPostgres(url: string, max: number): OpenedStorage {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Commits are durable before Settle acknowledges anything.
    options: '-c synchronous_commit=on',
    connectionTimeoutMillis: 5000,
    // bigint (amounts) as numbers: amounts are safe integers by validation.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor a checked-out client's: when the server dies mid-query, pg fails the query (the caller
  // answers 503) and also emits 'error' on the client, which the pool listens to only while the
  // client is idle. Unheard, that event would kill the process. The pool drops the broken client
  // when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return build(db, 'postgres', (fn) =>
    db.transaction().execute(async (trx) => {
      // Each statement is a round trip: writes nothing reads back are held and sent together,
      // before whatever could see them and before COMMIT (write-batch.ts).
      const batch = new WriteBatch(trx);
      const result = await fn(batched(new KyselyRepo(trx, 'postgres', batch), batch));
      await batch.flush();
      return result;
    }),
  );
}

// A short lease renewed while the job runs: a holder that was killed frees the job within a
// lease, not after the longest a job might take.
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

async function takeLease(
  transaction: <T>(fn: (tx: StorageTx) => Promise<T>) => Promise<T>,
  name: string,
  holder: string,
): Promise<boolean> {
  return transaction((tx) => tx.takeLease(name, holder, new Date(), LEASE_MS));
}

function build(
  db: Kysely<Database>,
  kind: Dialect,
  transaction: <T>(fn: (tx: StorageTx) => Promise<T>) => Promise<T>,
): OpenedStorage {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const running = new Set<string>();
  return {
    kind,
    db,
    read: new KyselyRepo(db, kind),
    transaction,
    async runExclusive(name, fn) {
      // In this process, one at a time; across processes, PostgreSQL's advisory lock (held on
      // one connection for the job's duration), or on SQLite a lease row that expires if its
      // holder dies.
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        if (kind === 'sqlite') {
          const holder = randomUUID();
          if (!(await takeLease(transaction, name, holder))) return undefined;
          const renew = setInterval(() => void takeLease(transaction, name, holder).catch(() => undefined), RENEW_MS);
          renew.unref();
          try {
            return await fn();
          } finally {
            clearInterval(renew);
            await transaction((tx) => tx.releaseLease(name, holder));
          }
        }
        return await db.connection().execute(async (c) => {
          const { rows } = await sql<{
            locked: boolean;
          }>`select pg_try_advisory_lock(hashtext(${`settle:${name}`})) as locked`.execute(c);
          if (!rows[0]?.locked) return undefined;
          try {
            return await fn();
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${`settle:${name}`}))`.execute(c);
          }
        });
      } finally {
        running.delete(name);
      }
    },
    async optimize() {
      // PostgreSQL's autovacuum keeps its statistics; SQLite has only this.
      if (kind === 'sqlite') await sql`pragma optimize`.execute(db);
    },
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
