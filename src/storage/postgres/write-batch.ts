import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { StorageTx } from '../../ports/storage.js';
import type { Database } from '../schema.js';

/**
 * Writes held back inside one PostgreSQL transaction and sent together, as one statement of
 * data-modifying CTEs (`WITH w0 AS (UPDATE …), w1 AS (INSERT …) SELECT 1`), just before the next
 * statement that could see them and before COMMIT.
 *
 * Why: a callback's transaction writes the attempt, the order, the timeline, the webhook
 * messages and the callback record, each a statement of its own, and on PostgreSQL every
 * statement is a network round trip that costs the Node server far more CPU (the socket write
 * and the protocol) than the database spends on it (bench/throughput). One statement is one
 * Parse/Bind/Execute for PostgreSQL and one write for Node; at the end of the transaction it
 * goes out with COMMIT (pipeline.ts). No library does this for Kysely.
 *
 * What keeps it correct:
 * - Only writes whose callers need no answer are held (the repositories choose which: see
 *   RepoContext.write in ../repos/context.ts); a failure surfaces at the flush, inside the same transaction, which
 *   then rolls back as it would have. Nothing in the app catches a single write's error.
 * - Every other call on the transaction flushes first (batched() below), except reads of
 *   tables no held write can touch, so a read always sees the transaction's own writes.
 * - All parts of one statement see the same snapshot and PostgreSQL applies each once, but an
 *   UPDATE does not see rows its siblings insert or change. So an UPDATE never joins a batch
 *   that already writes its table, and nothing joins one that already UPDATEs its table: those
 *   flush first. Inserts into the same table may share a statement.
 * - PostgreSQL takes at most 65,535 parameters per statement; a batch flushes before it would
 *   pass MAX_PARAMETERS.
 */
export class WriteBatch {
  private queued: { table: string; kind: 'insert' | 'update'; query: CompiledQuery }[] = [];
  private parameters = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async add(table: string, kind: 'insert' | 'update', query: Compilable): Promise<void> {
    if (this.queued.some((w) => w.table === table && (w.kind === 'update' || kind === 'update'))) await this.flush();
    const compiled = query.compile();
    if (this.parameters + compiled.parameters.length > MAX_PARAMETERS) await this.flush();
    this.queued.push({ table, kind, query: compiled });
    this.parameters += compiled.parameters.length;
  }

  async flush(): Promise<void> {
    const held = this.take();
    if (held) await this.db.executeQuery(held);
  }

  /** The held writes as one statement (null when none), handed over: sent with COMMIT (transaction.ts). */
  take(): CompiledQuery | null {
    const queued = this.queued;
    if (queued.length === 0) return null;
    this.queued = [];
    this.parameters = 0;
    return queued.length === 1 ? queued[0]!.query : combine(queued.map((w) => w.query));
  }
}

const MAX_PARAMETERS = 30_000;

/**
 * One statement of CTEs from several compiled ones, their `$n` placeholders renumbered in turn.
 * Kysely sends every value as a parameter (Settle never inlines literals into these writes) and
 * quotes identifiers, so `$` followed by digits in their text is always a placeholder; a query
 * whose placeholders do not match its parameters is refused rather than guessed at.
 */
export function combine(queries: readonly CompiledQuery[]): CompiledQuery {
  const parameters: unknown[] = [];
  const parts = queries.map((q, i) => {
    const offset = parameters.length;
    let highest = 0;
    const text = q.sql.replace(/\$(\d+)/g, (_, n: string) => {
      highest = Math.max(highest, Number(n));
      return `$${Number(n) + offset}`;
    });
    if (highest !== q.parameters.length)
      throw new Error(`cannot batch a write whose placeholders do not match its parameters: ${q.sql.slice(0, 60)}`);
    parameters.push(...q.parameters);
    return `w${i} as (${text})`;
  });
  return CompiledQuery.raw(`with ${parts.join(', ')} select 1`, parameters);
}

/**
 * Reads that cannot see a held write, because they read none of the tables the repositories hold
 * writes for (orders, payment_attempts, order_events, tasks, callbacks, outbox): the
 * configuration a transaction consults between its writes. Any call not named here, or among the
 * held writes, flushes the batch first.
 */
const READS_BESIDE_BATCH: ReadonlySet<string> = new Set<keyof StorageTx>([
  'getPaymentMethod',
  'listPaymentMethods',
  'listWebhookEndpoints',
  'getWebhookEndpoint',
  'getSetting',
  'getPaymentLink',
  'listRefunds',
  'getRefund',
  'listChargebacks',
  'getChargeback',
  'listAdjustments',
  'listReceipts',
  'getReceipt',
]);

/** The writes the repositories may hold in a batch (each decides for itself through RepoContext.write). */
const HELD_WRITES: ReadonlySet<string> = new Set<keyof StorageTx>([
  'updateOrder',
  'updateAttempt',
  'appendEvents',
  'insertTasks',
  'insertCallback',
  'insertOutbox',
]);

/**
 * The transaction as the app sees it: every call that could see a held write flushes the batch
 * of the moment (`batchOf`) first. Built once per repository slot (../repository.ts) as a plain
 * object, not a Proxy: a Proxy made a bound function on every call, per transaction.
 */
export function batched(tx: StorageTx, batchOf: () => WriteBatch | null): StorageTx {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(tx)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    out[name] =
      HELD_WRITES.has(name) || READS_BESIDE_BATCH.has(name)
        ? method.bind(tx)
        : async (...args: unknown[]) => {
            await batchOf()?.flush();
            return method.apply(tx, args);
          };
  }
  return out as unknown as StorageTx;
}
