import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type pg from 'pg';
import type { PreparedStatements, QueryResultLike } from './prepared.js';

const pipelines = new WeakMap<object, Pipeline>();

/** The Pipeline under a transaction's Kysely, for statements that must go out together and in order. */
export function pipelineOf(db: object): Pipeline | undefined {
  return pipelines.get(db);
}

/**
 * A compiled statement of a transaction sent straight to its Pipeline (RepoContext.run), not
 * through Kysely's executor, which acquires and releases the connection and wraps the answer
 * anew for every statement. The answer is the one Kysely's PostgreSQL driver gives.
 */
export async function runPipelined<R, DB>(query: CompiledQuery<R>, db: Kysely<DB>): Promise<QueryResult<R>> {
  const pipeline = pipelines.get(db);
  if (!pipeline) return db.executeQuery(query);
  const { command, rowCount, rows } = await pipeline.query(query.sql, query.parameters);
  const changed = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { rows: (rows ?? []) as R[], numAffectedRows: changed ? BigInt(rowCount ?? 0) : undefined };
}

/**
 * One pooled pg client in pipeline mode (pg's `pipeline` option: a query is written as soon as it
 * is asked for, each with its own Sync, and the answers come back in order), seen by one
 * transaction at a time. It saves round trips and socket writes three ways:
 *
 * - every statement asked for in the same tick goes out in one socket write (the stream is
 *   corked until the next tick), so reads issued together (lockOrderState's lock and its state
 *   read) cost one write and one round trip;
 * - BEGIN is not sent alone: it goes out with the transaction's first statement when that is a
 *   read, and is awaited on its own before anything else (a write must never run outside the
 *   transaction, should BEGIN fail);
 * - COMMIT goes out with the transaction's held writes (write-batch.ts), and a COMMIT that
 *   PostgreSQL answers with ROLLBACK (the transaction had failed) is an error, never success.
 *
 * The statements still run one after another on the server, each after the one before it has
 * finished: a read written behind `SELECT … FOR UPDATE` starts only once the lock is held, and
 * takes its own snapshot then, exactly as it would a round trip later. No library does this for
 * Kysely over pg, hence a module of our own.
 */
export class Pipeline {
  #beginPending = false;
  #corked = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly statements: PreparedStatements,
  ) {}

  /** Makes this the pipeline pipelineOf(db) finds: `db` sends every statement through it. */
  serve(db: object): void {
    pipelines.set(db, this);
  }

  /** Starts a transaction: BEGIN is written with the next statement. */
  begin(): void {
    this.#beginPending = true;
  }

  /** A statement of the transaction, as Kysely's driver sends it. */
  async query(text: string, parameters: readonly unknown[]): Promise<QueryResultLike> {
    const [result] = await this.together([{ sql: text, parameters }]);
    return result!;
  }

  /**
   * Statements written in this order, in one write, and answered in the same order. Reads that
   * must follow one another (a lock, then what it guards) come through here: Kysely would not
   * promise the order of two queries started together.
   */
  async together(statements: readonly Statement[]): Promise<QueryResultLike[]> {
    if (this.#beginPending) {
      this.#beginPending = false;
      const begin = this.#send('begin', []);
      if (!statements.every((q) => isRead(q.sql))) await begin;
      else {
        const results = statements.map((q) => this.#send(q.sql, q.parameters));
        // Answers come in order: BEGIN's first. If it failed, the reads ran outside a
        // transaction and their answers are dropped with BEGIN's error.
        for (const r of results) r.catch(() => undefined);
        await begin;
        return Promise.all(results);
      }
    }
    return Promise.all(statements.map((q) => this.#send(q.sql, q.parameters)));
  }

  /** The held writes (if any) and COMMIT in one write. Resolves only if PostgreSQL committed. */
  async commit(held: CompiledQuery | null): Promise<void> {
    if (this.#beginPending) {
      // Nothing was asked of the transaction: there is nothing to commit.
      this.#beginPending = false;
      if (!held) return;
      await this.#send('begin', []);
    }
    const writes = held ? this.#send(held.sql, held.parameters) : null;
    const commit = this.#send('commit', []);
    commit.catch(() => undefined);
    // The writes' own error first: after it, PostgreSQL answers this COMMIT with ROLLBACK.
    if (writes) await writes;
    const { command } = await commit;
    if (command !== 'COMMIT') throw new TransactionNotCommitted(command);
  }

  /** Ends the transaction without keeping anything; a broken connection is left to the pool. */
  async rollback(): Promise<void> {
    if (this.#beginPending) {
      this.#beginPending = false;
      return;
    }
    await this.#send('rollback', []).catch(() => undefined);
  }

  #send(text: string, parameters: readonly unknown[]): Promise<QueryResultLike> {
    this.#cork();
    return this.statements.query(this.client, text, parameters);
  }

  /** Holds the socket's writes until the next tick, so the statements of this tick share one. */
  #cork(): void {
    if (this.#corked) return;
    const stream = (this.client as unknown as { connection?: { stream?: NodeJS.WritableStream & Corkable } }).connection
      ?.stream;
    if (!stream?.cork) return;
    this.#corked = true;
    stream.cork();
    process.nextTick(() => {
      this.#corked = false;
      stream.uncork();
    });
  }
}

interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** A COMMIT that PostgreSQL answered otherwise (ROLLBACK: the transaction had already failed). */
export class TransactionNotCommitted extends Error {
  constructor(readonly command: string) {
    super(`COMMIT was answered ${command}: the transaction had failed and nothing of it was kept`);
    this.name = 'TransactionNotCommitted';
  }
}

/** A plain read: safe to write behind BEGIN before BEGIN has answered. */
const isRead = (text: string): boolean => /^\s*select\s/i.test(text);
