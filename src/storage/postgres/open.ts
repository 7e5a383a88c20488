import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.js';
import type { StoreDriver } from '../store-driver.js';
import { advisoryExclusive } from './advisory-lock.js';
import { PreparedStatements, preparingPool } from './prepared.js';
import { pipelinedTransactions } from './transaction.js';

/**
 * A pool of `max` connections with durable commits; each transaction's writes batched and
 * pipelined (transaction.ts), the statements it runs again prepared (prepared.ts).
 */
export function openPostgres(url: string, max: number): StoreDriver {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Commits are durable before Settle acknowledges anything.
    options: '-c synchronous_commit=on',
    connectionTimeoutMillis: 5000,
    // Statements asked for together are written together (pipeline.ts); each keeps its own Sync.
    pipeline: true,
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
  // Statements run again are parsed once per connection (prepared.ts).
  const statements = new PreparedStatements();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool, statements) }) });
  return {
    kind: 'postgres',
    db,
    // BEGIN with the first read and the held writes with COMMIT, pipelined (transaction.ts).
    transaction: pipelinedTransactions(pool, statements),
    exclusive: advisoryExclusive(db),
    // PostgreSQL's autovacuum keeps its statistics.
    async optimize() {},
  };
}
