import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { StorageTx } from '../ports/storage.js';
import type { Dialect } from './repos/context.js';
import type { Database } from './schema.js';

/** What differs between the stores once they are open: how a transaction runs, how a job runs alone, statistics. */
export interface StoreDriver {
  readonly kind: Dialect;
  readonly db: Kysely<Database>;
  /** One durable transaction over the repositories (see Storage.transaction). */
  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /** Runs `fn` unless another process runs a job of this name; undefined when one does. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** How the plain reads' compiled statements run (RepoContext.run), where not through Kysely's executor. */
  readonly readRun?: <R>(query: CompiledQuery<R>, db: Kysely<Database>) => Promise<QueryResult<R>>;
  /** Refreshes the planner's statistics where the database does not do it by itself. */
  optimize(): Promise<void>;
}
