import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import { allRows } from './row-builder.js';

/** Distinct statements kept prepared; lists whose length varies make the rest, so the oldest go. */
export const STATEMENT_CACHE_SIZE = 500;

interface Kept {
  stmt: SqliteDatabase.Statement;
  view: SqliteStatement;
}

/**
 * The connection as Kysely's SQLite dialect sees it, with prepared statements kept by their SQL.
 * Kysely prepares every query anew (`db.prepare(sql)` per execution), and SQLite's prepare (parse
 * and plan) was a large share of a callback's CPU; the same SQL text always gives the same plan, so
 * a statement is prepared once and reused. A statement still being iterated (a streamed read) is
 * busy and cannot run twice at once: a fresh one is prepared for that call instead. Least recently
 * used statements leave past the limit. better-sqlite3 has no cache of its own, hence this.
 * A reader's rows are built by row-builder.ts, not by better-sqlite3.
 */
export function cachingStatements(conn: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): KyselySqliteDatabase {
  const cache = new Map<string, Kept>();
  return {
    close: () => void conn.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.stmt.busy) {
        // Map keeps insertion order: moving a hit to the end makes the first key the least recent.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit.view;
      }
      const kept = keep(conn.prepare(sql));
      if (!hit) {
        cache.set(sql, kept);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return kept.view;
    },
  };
}

/** What Kysely's driver and direct-run.ts call: all, run and iterate (which streams, so stays better-sqlite3's). */
function keep(stmt: SqliteDatabase.Statement): Kept {
  return {
    stmt,
    view: {
      reader: stmt.reader,
      all: (parameters) => (stmt.reader ? allRows(stmt, parameters) : stmt.all(parameters)),
      run: (parameters) => stmt.run(parameters),
      iterate: (parameters) => stmt.iterate(parameters),
    },
  };
}
