import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** The most statement texts one process names; the rest go unnamed, parsed and planned each time. */
export const MAX_NAMED = 400;
/** Longer texts (the bulk inserts and IN lists of an import) are not worth a place on every connection. */
export const MAX_NAMED_LENGTH = 16_384;

/** Names are unique in the process, so two instances could never clash on one connection. */
let nextName = 0;

/** What a query answers, as Kysely's PostgreSQL driver and pipeline.ts read it. */
export interface QueryResultLike {
  command: string;
  rowCount: number | null;
  rows: unknown[];
}

/**
 * Named (prepared) statements on PostgreSQL, so a statement Settle runs again is parsed once per
 * connection instead of on every execution, and PostgreSQL may keep its plan.
 *
 * Why: pg sends every parameterised statement unnamed, so PostgreSQL parses, analyses and plans it
 * anew each time. A callback's two big statements (lockOrderState's state read, a UNION of seven
 * lists, and the held writes as one statement of CTEs) cost PostgreSQL more to plan than to run:
 * 3.4–4.1 ms of its CPU per callback unnamed against 1.4–1.5 ms named (bench/throughput). pg
 * prepares a statement once per connection when it is given a name (it remembers what each
 * connection has parsed), so all this module does is choose the names:
 *
 * - a text is named the second time it is seen, so one-off statements (migrations, a report's
 *   last odd-sized batch) take no place; at most MAX_NAMED texts per process, each at most
 *   MAX_NAMED_LENGTH characters, so what every connection holds on the server stays bounded;
 * - a statement without parameters is named too (BEGIN and COMMIT are sent on every transaction);
 * - PostgreSQL refuses a prepared statement whose result columns changed under it (a migration
 *   by a newer process: "cached plan must not change result type", 0A000): that text gets a new
 *   name, so the next execution parses it afresh (the failed one fails its transaction as any
 *   statement error does, and is retried as such).
 *
 * Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or later with
 * `max_prepared_statements` set (docs/operations.md). No library names pg's statements for
 * Kysely, hence this module.
 */
export class PreparedStatements {
  readonly #names = new Map<string, string>();
  #seen = new Set<string>();

  /** `text` with `values` on this client: under its name once it has one. */
  query(client: pg.ClientBase, text: string, values: readonly unknown[]): Promise<QueryResultLike> {
    const name = this.nameFor(text);
    if (!name) return client.query(text, values as unknown[]);
    return client.query({ name, text, values: values as unknown[] }).catch((e: unknown) => {
      if ((e as { code?: unknown }).code === '0A000' && this.#names.get(text) === name) this.#names.delete(text);
      throw e;
    });
  }

  /** The name `text` goes under, or undefined while it stays unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined) return known;
    if (text.length > MAX_NAMED_LENGTH || this.#names.size >= MAX_NAMED) return undefined;
    if (!this.#seen.has(text)) {
      // Bounded like the names: when full it starts again, so a text seen twice far apart may wait.
      if (this.#seen.size >= MAX_NAMED) this.#seen = new Set();
      this.#seen.add(text);
      return undefined;
    }
    this.#seen.delete(text);
    const name = `settle_${(nextName++).toString(36)}`;
    this.#names.set(text, name);
    return name;
  }

  /** How many texts have names. */
  get size(): number {
    return this.#names.size;
  }
}

/** A pool as Kysely's PostgresDialect asks for it, whose statements go through `statements`. */
export function preparingPool(pool: pg.Pool, statements: PreparedStatements): PostgresPool {
  // One wrapper per pooled client, so Kysely's driver (which keeps a connection per client object) reuses its own.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        // Kysely passes a cursor object only to stream, which Settle does not configure.
        const query = (sql: unknown, parameters?: readonly unknown[]) =>
          typeof sql === 'string'
            ? statements.query(client, sql, parameters ?? [])
            : client.query(sql as pg.QueryConfig);
        wrapper = { query: query as PostgresPoolClient['query'], release: () => client.release() };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
