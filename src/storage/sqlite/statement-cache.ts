import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

/** Distinct statements kept prepared; lists whose length varies make the rest, so the oldest go. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely's SQLite dialect sees it, with prepared statements kept by their SQL.
 * Kysely prepares every query anew (`db.prepare(sql)` per execution), and SQLite's prepare (parse
 * and plan) was a large share of a callback's CPU; the same SQL text always gives the same plan, so
 * a statement is prepared once and reused. A statement still being iterated (a streamed read) is
 * busy and cannot run twice at once: a fresh one is prepared for that call instead. Least recently
 * used statements leave past the limit. better-sqlite3 has no cache of its own, hence this.
 */
export function cachingStatements(conn: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => void conn.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Map keeps insertion order: moving a hit to the end makes the first key the least recent.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = conn.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}
