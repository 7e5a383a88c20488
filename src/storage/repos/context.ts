import type { Compilable, CompiledQuery, Kysely, QueryResult, Selectable } from 'kysely';
import type { Database } from '../schema.js';

export type Dialect = 'sqlite' | 'postgres';

export type Row<T extends keyof Database> = Selectable<Database[T]>;

/**
 * What every repository module of one executor shares: the pool for plain reads, or one
 * transaction's connection. The repositories are the same on both stores except where they
 * say so; what only PostgreSQL does lives in ../postgres/. A transaction's context is a slot's
 * (../repository.ts): `db` and the timeline ends are set anew for each transaction it serves,
 * so the repositories read `ctx.db` at each call, never keep it.
 */
export interface RepoContext {
  db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * Runs a compiled statement (the hot reads and writes, compiled-reads.ts and compiled-writes.ts):
   * through `db`, or, inside a SQLite group-commit turn, straight on the connection
   * (../sqlite/direct-run.ts).
   */
  run<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
  /**
   * The last timeline seq of each order this transaction locked or created, so appending needs
   * no read: under the order's lock no one else appends to it.
   */
  readonly lastSeq: Map<string, number>;
  /**
   * A write whose caller needs no answer: held in the PostgreSQL transaction's batch when there
   * is one (../postgres/write-batch.ts), else run now. Only the writes write-batch.ts lists as
   * held may use it.
   */
  write(
    table: keyof Database,
    kind: 'insert' | 'update',
    query: Compilable & { execute(): Promise<unknown> },
  ): Promise<void>;
  /** Sends the held writes, if any, before a statement that must see them. */
  flush(): Promise<void>;
}
