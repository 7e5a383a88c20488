import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * PostgreSQL's "one process runs this job": a session advisory lock, held on one connection of
 * the pool for the job's duration and released when it ends (or when the connection dies).
 */
export function advisoryExclusive(db: Kysely<Database>) {
  return async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> =>
    db.connection().execute(async (c) => {
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
}
