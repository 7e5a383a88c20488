import { createHash } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { BenchStore } from './store.js';

/**
 * Seeds orders, their payment attempts and outbox messages straight into a bench database, on a
 * connection of the bench's own (the app's storage stays untouched): multi-row inserts, one
 * transaction per batch the caller makes. Columns are filled as createOrder, startPayment and
 * the outbox fill them; the caller decides what varies. Shared by the suites that need many
 * orders (reconcile, orders).
 */

/** Ids sort in the order orders were made, as time-ordered ids would. */
export const seedOrderId = (i: number): string => `ord_bench${String(i).padStart(8, '0')}`;
export const seedAttemptId = (i: number, number = 1): string =>
  `pa_bench${String(i).padStart(8, '0')}${number === 1 ? '' : `_${number}`}`;
/** Payment page the acquirer was sent to (nothing opens it in a bench). */
export const seedNextStep = (ref: string): string =>
  JSON.stringify({ type: 'redirect', url: `http://127.0.0.1:9/p/bench/${ref}` });
/** The content hash and the order key's hash: unique per order, as real ones are. */
export const seedHashes = (i: number): { contentHash: string; keyHash: string } => ({
  contentHash: createHash('sha256').update(`content:${i}`).digest('hex'),
  keyHash: createHash('sha256').update(`key:${i}`).digest('hex'),
});

export interface SeedOrder {
  id: string;
  reference: string;
  referenceNorm: string;
  currency: string;
  amount: number;
  /** JSON of the order lines. */
  lines: string;
  status: string;
  paymentStatus: string;
  reviewStatus: string;
  fiscalStatus: string;
  deliveryStatus: string;
  contentHash: string;
  keyHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface SeedAttempt {
  id: string;
  orderId: string;
  number: number;
  paymentMethodId: string;
  connector: string;
  amount: number;
  currency: string;
  providerRef: string;
  providerRefNorm: string;
  nextStep: string | null;
  status: string;
  verifiedBy: string | null;
  providerStatus: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SeedOutbox {
  id: string;
  topic: string;
  eventType: string;
  orderId: string;
  orderSeq: number;
  target: string;
  /** JSON. */
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface SeedBatch {
  orders: SeedOrder[];
  attempts: SeedAttempt[];
  outbox: SeedOutbox[];
}

type PgType = 'text' | 'bigint' | 'integer';
/** A column: its name, its PostgreSQL array type for unnest, and its value in a row. */
type Col<T> = [string, PgType, (r: T) => string | number | null];

interface TableSpec<T> {
  table: string;
  cols: Col<T>[];
}

const ORDERS: TableSpec<SeedOrder> = {
  table: 'orders',
  cols: [
    ['id', 'text', (r) => r.id],
    ['reference', 'text', (r) => r.reference],
    ['reference_norm', 'text', (r) => r.referenceNorm],
    ['currency', 'text', (r) => r.currency],
    ['original_amount', 'bigint', (r) => r.amount],
    ['amount', 'bigint', (r) => r.amount],
    ['shipping_amount', 'bigint', () => 0],
    ['lines', 'text', (r) => r.lines],
    ['customer', 'text', () => '{}'],
    ['return_url', 'text', () => null],
    ['metadata', 'text', () => '{}'],
    ['status', 'text', (r) => r.status],
    ['payment_status', 'text', (r) => r.paymentStatus],
    ['content_hash', 'text', (r) => r.contentHash],
    ['key_hash', 'text', (r) => r.keyHash],
    ['review_status', 'text', (r) => r.reviewStatus],
    ['fiscal_status', 'text', (r) => r.fiscalStatus],
    ['delivery_status', 'text', (r) => r.deliveryStatus],
    ['customer_email_norm', 'text', () => null],
    ['customer_ip', 'text', () => null],
    ['created_at', 'text', (r) => r.createdAt],
    ['updated_at', 'text', (r) => r.updatedAt],
  ],
};

const ATTEMPTS: TableSpec<SeedAttempt> = {
  table: 'payment_attempts',
  cols: [
    ['id', 'text', (r) => r.id],
    ['order_id', 'text', (r) => r.orderId],
    ['number', 'integer', (r) => r.number],
    ['payment_method_id', 'text', (r) => r.paymentMethodId],
    ['connector', 'text', (r) => r.connector],
    ['amount', 'bigint', (r) => r.amount],
    ['currency', 'text', (r) => r.currency],
    ['provider_ref', 'text', (r) => r.providerRef],
    ['provider_ref_norm', 'text', (r) => r.providerRefNorm],
    ['next_step', 'text', (r) => r.nextStep],
    ['status', 'text', (r) => r.status],
    ['verified_by', 'text', (r) => r.verifiedBy],
    ['provider_status', 'text', (r) => r.providerStatus],
    ['error_code', 'text', () => null],
    ['payment_link_id', 'text', () => null],
    ['created_at', 'text', (r) => r.createdAt],
    ['updated_at', 'text', (r) => r.updatedAt],
  ],
};

const OUTBOX: TableSpec<SeedOutbox> = {
  table: 'outbox',
  cols: [
    ['id', 'text', (r) => r.id],
    ['topic', 'text', (r) => r.topic],
    ['event_type', 'text', (r) => r.eventType],
    ['order_id', 'text', (r) => r.orderId],
    ['order_seq', 'integer', (r) => r.orderSeq],
    ['position', 'integer', () => 0],
    ['target', 'text', (r) => r.target],
    ['payload', 'text', (r) => r.payload],
    ['status', 'text', (r) => r.status],
    ['attempts', 'integer', (r) => r.attempts],
    ['next_attempt_at', 'text', (r) => r.nextAttemptAt],
    ['last_error', 'text', (r) => r.lastError],
    ['locked_by', 'text', () => null],
    ['locked_until', 'text', () => null],
    ['created_at', 'text', (r) => r.createdAt],
    ['delivered_at', 'text', (r) => r.deliveredAt],
  ],
};

export interface SeedOptions {
  /** Orders per transaction (and per call of `batch`). */
  batchSize?: number;
  /**
   * Run ANALYZE on SQLite after seeding. PostgreSQL is always vacuumed and analysed (what
   * autovacuum does on a live server); Settle itself never runs ANALYZE on SQLite, so a suite
   * says whether it wants statistics there.
   */
  sqliteAnalyze?: boolean;
  progress?: (done: number) => void;
}

/**
 * Seeds orders 0 … n−1: `batch(from, to)` makes the rows of orders from ≤ i < to (their attempts
 * and outbox messages included), and each batch is written in one transaction.
 */
export async function seedOrderRows(
  store: BenchStore,
  n: number,
  batch: (from: number, to: number) => SeedBatch,
  opts: SeedOptions = {},
): Promise<void> {
  const size = opts.batchSize ?? 10_000;
  if (store.kind === 'sqlite') return seedSqlite(store.sqliteFile!, n, size, batch, opts);
  return seedPostgres(store.url, n, size, batch, opts);
}

function seedSqlite(
  file: string,
  n: number,
  size: number,
  batch: (from: number, to: number) => SeedBatch,
  opts: SeedOptions,
): void {
  const db = new SqliteDatabase(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    // Both sides of every foreign key are written here, consistently.
    db.pragma('foreign_keys = OFF');
    const prepared = new Map<string, SqliteDatabase.Statement>();
    const insert = <T>(spec: TableSpec<T>, rows: T[]) => {
      // Multi-row statements within SQLite's 32,766 parameters.
      const per = Math.min(2000, Math.floor(32_766 / spec.cols.length));
      for (let i = 0; i < rows.length; i += per) {
        const part = rows.slice(i, i + per);
        const key = `${spec.table}:${part.length}`;
        let stmt = prepared.get(key);
        if (!stmt) {
          const one = `(${spec.cols.map(() => '?').join(', ')})`;
          stmt = db.prepare(
            `insert into ${spec.table} (${spec.cols.map((c) => c[0]).join(', ')}) values ${Array(part.length).fill(one).join(',')}`,
          );
          prepared.set(key, stmt);
        }
        stmt.run(part.flatMap((r) => spec.cols.map((c) => c[2](r))));
      }
    };
    const write = db.transaction((b: SeedBatch) => {
      insert(ORDERS, b.orders);
      insert(ATTEMPTS, b.attempts);
      insert(OUTBOX, b.outbox);
    });
    for (let from = 0; from < n; from += size) {
      const to = Math.min(n, from + size);
      write(batch(from, to));
      opts.progress?.(to);
    }
    if (opts.sqliteAnalyze) db.exec('analyze');
    // Leave an empty WAL: else the server's next commit copies the seeded pages back into the
    // database (SQLite's automatic checkpoint runs in the committing call, blocking the server's
    // event loop) and the measured run's tail is the seeding's. TRUNCATE waits for the server's
    // connection to be between statements; it reports, not throws, when it could not finish.
    db.pragma('busy_timeout = 10000');
    const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (cp && cp.busy !== 0) throw new Error(`seeding: the WAL checkpoint could not finish (${JSON.stringify(cp)})`);
  } finally {
    db.close();
  }
}

async function seedPostgres(
  url: string,
  n: number,
  size: number,
  batch: (from: number, to: number) => SeedBatch,
  opts: SeedOptions,
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('set synchronous_commit = off');
    // One statement per table and batch: the values travel as one array per column and unnest into rows.
    const insert = async <T>(spec: TableSpec<T>, rows: T[]) => {
      if (rows.length === 0) return;
      const cols = spec.cols.map((col) => col[0]).join(', ');
      const arrays = spec.cols.map((col, k) => `$${k + 1}::${col[1]}[]`).join(', ');
      await c.query(
        `insert into ${spec.table} (${cols}) select * from unnest(${arrays})`,
        spec.cols.map((col) => rows.map((r) => col[2](r))),
      );
    };
    for (let from = 0; from < n; from += size) {
      const to = Math.min(n, from + size);
      const b = batch(from, to);
      await c.query('begin');
      await insert(ORDERS, b.orders);
      await insert(ATTEMPTS, b.attempts);
      await insert(OUTBOX, b.outbox);
      await c.query('commit');
      opts.progress?.(to);
    }
    // What autovacuum would have done on a live server by the time anything reads these.
    for (const t of [ORDERS.table, ATTEMPTS.table, OUTBOX.table]) await c.query(`vacuum analyze ${t}`);
    await c.query('checkpoint');
  } finally {
    await c.end();
  }
}
