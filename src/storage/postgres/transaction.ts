import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { StorageTx } from '../../ports/storage.js';
import { repositorySlot, type RepositorySlot } from '../repository.js';
import type { Database } from '../schema.js';
import { Pipeline, runPipelined } from './pipeline.js';
import type { PreparedStatements } from './prepared.js';
import { WriteBatch } from './write-batch.js';

interface Bound {
  db: Kysely<Database>;
  pipeline: Pipeline;
}

/**
 * PostgreSQL transactions over a pool in pipeline mode (pipeline.ts). Each pooled client gets,
 * once, a Kysely of its own whose every statement goes through that client's Pipeline: Kysely's
 * own transactions queue a connection's statements one after another (SingleConnectionProvider),
 * which would undo the pipelining. The transaction is BEGIN … COMMIT on one client as before;
 * only the writes on the wire are fewer: BEGIN with the first read, the held writes with COMMIT.
 */
export function pipelinedTransactions(pool: pg.Pool, statements: PreparedStatements) {
  const bound = new WeakMap<pg.PoolClient, Bound>();
  // One repository per transaction in flight, reused (../repository.ts).
  const slots: RepositorySlot[] = [];

  const bind = (client: pg.PoolClient): Bound => {
    let b = bound.get(client);
    if (!b) {
      const pipeline = new Pipeline(client, statements);
      const handle = { query: pipeline.query.bind(pipeline), release: () => undefined };
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: { connect: async () => handle as never, end: async () => undefined } }),
      });
      b = { db, pipeline };
      pipeline.serve(db);
      bound.set(client, b);
    }
    return b;
  };

  return async function transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const { db, pipeline } = bind(client);
    const slot = slots.pop() ?? repositorySlot('postgres', runPipelined);
    // Writes nothing reads back are held and sent together, before whatever could see them and
    // with COMMIT (write-batch.ts).
    const batch = new WriteBatch(db);
    try {
      pipeline.begin();
      let result: T;
      try {
        result = await fn(slot.bind(db, batch));
        await pipeline.commit(batch.take());
      } catch (e) {
        await pipeline.rollback();
        throw e;
      }
      return result;
    } finally {
      slots.push(slot);
      // A client whose connection broke is not queryable, and the pool drops it on release.
      client.release();
    }
  };
}
