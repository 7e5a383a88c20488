import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { formatDecimal } from '../../src/domain/money.js';
import type { BenchStore } from '../support/store.js';

/**
 * The bench's data set, a formula of the order number i (0 ≤ i < n): order i has one succeeded
 * payment attempt of amount(i) AMD whose provider_ref is reference(i), both made on the report's
 * day; the report has one line per order, of which 0.1% are deliberately wrong.
 */

export const CURRENCY = 'AMD';
export const CONNECTOR = 'acquiring-v1';
/** Rows per transaction when seeding. */
const SEED_BATCH = 10_000;

/** Mixed case on purpose: Settle matches provider references without regard to case. */
export const reference = (i: number): string => `Bench-${String(i).padStart(7, '0')}`;
/** 10.00 … 5,000.00 AMD, in minor units. */
export const amount = (i: number): number => 1000 + ((i * 7919) % 499_001);
/** Ids sort in the order orders were made, as time-ordered ids would. */
const orderId = (i: number): string => `ord_bench${String(i).padStart(8, '0')}`;
const attemptId = (i: number): string => `pa_bench${String(i).padStart(8, '0')}`;

/** When order i was made and paid: spread evenly over the report's day (UTC). */
export function at(date: string, i: number, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + Math.floor((i * 86_400_000) / n)).toISOString();
}

/** What line i of the report says about order i, when it does not agree. */
export type LineFault = 'amount_off' | 'unknown_ref';

/** 0.05% of the lines carry 1.00 AMD more than Settle has; 0.05% name a reference Settle never made (so that order is also missing from the report). */
export function fault(i: number): LineFault | null {
  const r = i % 2000;
  return r === 1000 ? 'amount_off' : r === 1 ? 'unknown_ref' : null;
}

/** What an import of the report should find, from the formulas above. */
export function expectedCounts(n: number): { matched: number; amount_mismatch: number; missing_in_settle: number; missing_in_report: number } {
  let amountOff = 0;
  let unknown = 0;
  for (let i = 0; i < n; i++) {
    const f = fault(i);
    if (f === 'amount_off') amountOff += 1;
    else if (f === 'unknown_ref') unknown += 1;
  }
  return { matched: n - amountOff - unknown, amount_mismatch: amountOff, missing_in_settle: unknown, missing_in_report: unknown };
}

export const CSV_HEADER = 'provider_ref,order_reference,type,amount,currency,status,time,fee';

/** Writes the report for n orders to `path`; returns its size in bytes. */
export async function writeReport(path: string, date: string, n: number): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  let chunk = `${CSV_HEADER}\n`;
  let bytes = 0;
  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  for (let i = 0; i < n; i++) {
    const f = fault(i);
    const ref = f === 'unknown_ref' ? `Unknown-${String(i).padStart(7, '0')}` : reference(i);
    const a = amount(i) + (f === 'amount_off' ? 100 : 0);
    const fee = Math.round(amount(i) * 0.015);
    const time = new Date(Date.parse(at(date, i, n)) + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    chunk += `${ref},${ref},sale,${formatDecimal(a, CURRENCY)},${CURRENCY},succeeded,${time},${formatDecimal(fee, CURRENCY)}\n`;
    if (chunk.length > 512 * 1024) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** The columns of one seeded order and its attempt that vary. */
interface SeedRow {
  orderId: string;
  attemptId: string;
  reference: string;
  referenceNorm: string;
  amount: number;
  lines: string;
  contentHash: string;
  keyHash: string;
  at: string;
}

function seedRow(date: string, i: number, n: number): SeedRow {
  const ref = reference(i);
  const a = amount(i);
  return {
    orderId: orderId(i),
    attemptId: attemptId(i),
    reference: ref,
    referenceNorm: ref.toLowerCase(),
    amount: a,
    lines: JSON.stringify([{ sku: `SKU-${i % 500}`, name: `Bench item ${i % 500}`, quantity: 1, unit_amount: a }]),
    contentHash: createHash('sha256').update(`content:${i}`).digest('hex'),
    keyHash: createHash('sha256').update(`key:${i}`).digest('hex'),
    at: at(date, i, n),
  };
}

/** Payment page the acquirer was sent to (nothing opens it during a reconciliation). */
const nextStep = (ref: string) => JSON.stringify({ type: 'redirect', url: `http://127.0.0.1:9/p/bench/${ref}` });

/**
 * Seeds n paid orders, each with one succeeded attempt of the payment method, by multi-row
 * inserts in one transaction per 10,000 orders, on a connection of the bench's own (the app's
 * storage stays untouched). Columns are filled as createOrder and startPayment fill them.
 */
export async function seedOrders(store: BenchStore, paymentMethodId: string, date: string, n: number, progress?: (done: number) => void): Promise<void> {
  if (store.kind === 'sqlite') return seedSqlite(store.sqliteFile!, paymentMethodId, date, n, progress);
  return seedPostgres(store.url, paymentMethodId, date, n, progress);
}

function seedSqlite(file: string, paymentMethodId: string, date: string, n: number, progress?: (done: number) => void): void {
  const db = new SqliteDatabase(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    // Both sides of every foreign key are written here, consistently.
    db.pragma('foreign_keys = OFF');
    // Multi-row statements: SQLite allows 32,766 parameters, i.e. 2,000 orders of 11 values each.
    const ROWS = 2000;
    const orderValues = `(?, ?, ?, '${CURRENCY}', ?, ?, 0, ?, '{}', NULL, '{}', 'processing', 'paid', ?, ?, 'none', 'not_required', 'not_started', NULL, NULL, ?, ?)`;
    const attemptValues = `(?, ?, 1, ?, '${CONNECTOR}', ?, '${CURRENCY}', ?, ?, ?, 'succeeded', 'signature', 'executed', NULL, NULL, ?, ?)`;
    const orderSql = (k: number) =>
      `insert into orders (id, reference, reference_norm, currency, original_amount, amount, shipping_amount, lines, customer, return_url, metadata, status, payment_status, content_hash, key_hash, review_status, fiscal_status, delivery_status, customer_email_norm, customer_ip, created_at, updated_at) values ${Array(k).fill(orderValues).join(',')}`;
    const attemptSql = (k: number) =>
      `insert into payment_attempts (id, order_id, number, payment_method_id, connector, amount, currency, provider_ref, provider_ref_norm, next_step, status, verified_by, provider_status, error_code, payment_link_id, created_at, updated_at) values ${Array(k).fill(attemptValues).join(',')}`;
    const prepared = new Map<number, { o: SqliteDatabase.Statement; a: SqliteDatabase.Statement }>();
    const statements = (k: number) => {
      let s = prepared.get(k);
      if (!s) prepared.set(k, (s = { o: db.prepare(orderSql(k)), a: db.prepare(attemptSql(k)) }));
      return s;
    };
    const insertBatch = db.transaction((rows: SeedRow[]) => {
      for (let i = 0; i < rows.length; i += ROWS) {
        const part = rows.slice(i, i + ROWS);
        const { o, a } = statements(part.length);
        o.run(part.flatMap((r) => [r.orderId, r.reference, r.referenceNorm, r.amount, r.amount, r.lines, r.contentHash, r.keyHash, r.at, r.at]));
        a.run(part.flatMap((r) => [r.attemptId, r.orderId, paymentMethodId, r.amount, r.reference, r.referenceNorm, nextStep(r.reference), r.at, r.at]));
      }
    });
    for (let from = 0; from < n; from += SEED_BATCH) {
      const rows: SeedRow[] = [];
      for (let i = from; i < Math.min(n, from + SEED_BATCH); i++) rows.push(seedRow(date, i, n));
      insertBatch(rows);
      progress?.(from + rows.length);
    }
    // Settle never runs ANALYZE, so neither does the bench: the planner sees what it would in use.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function seedPostgres(url: string, paymentMethodId: string, date: string, n: number, progress?: (done: number) => void): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('set synchronous_commit = off');
    for (let from = 0; from < n; from += SEED_BATCH) {
      const rows: SeedRow[] = [];
      for (let i = from; i < Math.min(n, from + SEED_BATCH); i++) rows.push(seedRow(date, i, n));
      const col = <K extends keyof SeedRow>(k: K) => rows.map((r) => r[k]);
      await c.query('begin');
      // One statement per table and batch: the values travel as arrays and unnest into rows.
      await c.query(
        `insert into orders (id, reference, reference_norm, currency, original_amount, amount, shipping_amount, lines, customer, return_url, metadata, status, payment_status, content_hash, key_hash, review_status, fiscal_status, delivery_status, customer_email_norm, customer_ip, created_at, updated_at)
         select id, ref, ref_norm, $8, amt, amt, 0, lines, '{}', null, '{}', 'processing', 'paid', ch, kh, 'none', 'not_required', 'not_started', null, null, t, t
         from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $9::text[]) as u(id, ref, ref_norm, amt, lines, ch, kh, t)`,
        [col('orderId'), col('reference'), col('referenceNorm'), col('amount'), col('lines'), col('contentHash'), col('keyHash'), CURRENCY, col('at')],
      );
      await c.query(
        `insert into payment_attempts (id, order_id, number, payment_method_id, connector, amount, currency, provider_ref, provider_ref_norm, next_step, status, verified_by, provider_status, error_code, payment_link_id, created_at, updated_at)
         select id, oid, 1, $6, $7, amt, $8, ref, ref_norm, ns, 'succeeded', 'signature', 'executed', null, null, t, t
         from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $9::text[], $10::text[]) as u(id, oid, amt, ref, ref_norm, ns, t)`,
        [col('attemptId'), col('orderId'), col('amount'), col('reference'), col('referenceNorm'), paymentMethodId, CONNECTOR, CURRENCY, rows.map((r) => nextStep(r.reference)), col('at')],
      );
      await c.query('commit');
      progress?.(from + rows.length);
    }
    // What autovacuum would have done by the time a day's report arrives.
    await c.query('vacuum analyze orders');
    await c.query('vacuum analyze payment_attempts');
    await c.query('checkpoint');
  } finally {
    await c.end();
  }
}
