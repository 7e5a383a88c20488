import type { CompiledQuery, QueryResult, SqliteDatabase as KyselySqliteDatabase } from 'kysely';

/** Runs a compiled statement on the connection: what RepoContext.run does inside a SQLite turn. */
export type DirectRun = <R>(query: CompiledQuery<R>) => Promise<QueryResult<R>>;

/**
 * A compiled statement run straight on better-sqlite3 (its prepared statement from the cache),
 * not through Kysely's executor. Used only inside a group-commit turn, which holds Kysely's one
 * connection from BEGIN to COMMIT, so nothing else can be using it. Kysely's way there (the
 * connection provider's promise chain, the driver's mutex, the result plugins, of which Settle has
 * none) cost more than the statement itself for the small reads and writes of a callback: a
 * dozen promises and closures each time. The result is the one Kysely's SQLite driver gives:
 * rows for a reader, else the changes and the last rowid.
 */
export function directRun(statements: KyselySqliteDatabase): DirectRun {
  return <R>(query: CompiledQuery<R>): Promise<QueryResult<R>> => {
    try {
      const stmt = statements.prepare(query.sql);
      if (stmt.reader) return Promise.resolve({ rows: stmt.all(query.parameters) as R[] });
      const { changes, lastInsertRowid } = stmt.run(query.parameters);
      return Promise.resolve({
        rows: [],
        numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
        insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      });
    } catch (e) {
      // better-sqlite3 throws; a caller of a query expects a rejected promise, as from Kysely.
      return Promise.reject(e as Error);
    }
  };
}
