import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatDecimal } from '../../src/domain/money.js';
import {
  seedAttemptId,
  seedHashes,
  seedNextStep,
  seedOrderId,
  seedOrderRows,
  type SeedBatch,
} from '../support/seed-orders.js';
import type { BenchStore } from '../support/store.js';

/**
 * The bench's data set, a formula of the order number i (0 ≤ i < n): order i has one succeeded
 * payment attempt of amount(i) AMD whose provider_ref is reference(i), both made on the report's
 * day; the report has one line per order, of which 0.1% are deliberately wrong.
 */

export const CURRENCY = 'AMD';
export const CONNECTOR = 'acquiring-v1';

/** Mixed case on purpose: Settle matches provider references without regard to case. */
export const reference = (i: number): string => `Bench-${String(i).padStart(7, '0')}`;
/** 10.00 … 5,000.00 AMD, in minor units. */
export const amount = (i: number): number => 1000 + ((i * 7919) % 499_001);

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
export function expectedCounts(n: number): {
  matched: number;
  amount_mismatch: number;
  missing_in_settle: number;
  missing_in_report: number;
} {
  let amountOff = 0;
  let unknown = 0;
  for (let i = 0; i < n; i++) {
    const f = fault(i);
    if (f === 'amount_off') amountOff += 1;
    else if (f === 'unknown_ref') unknown += 1;
  }
  return {
    matched: n - amountOff - unknown,
    amount_mismatch: amountOff,
    missing_in_settle: unknown,
    missing_in_report: unknown,
  };
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

/** Order i of the report's day: paid (processing), with one succeeded attempt of the payment method. */
function seedBatch(paymentMethodId: string, date: string, n: number, from: number, to: number): SeedBatch {
  const batch: SeedBatch = { orders: [], attempts: [], outbox: [] };
  for (let i = from; i < to; i++) {
    const ref = reference(i);
    const a = amount(i);
    const t = at(date, i, n);
    const id = seedOrderId(i);
    batch.orders.push({
      id,
      reference: ref,
      referenceNorm: ref.toLowerCase(),
      currency: CURRENCY,
      amount: a,
      lines: JSON.stringify([{ sku: `SKU-${i % 500}`, name: `Bench item ${i % 500}`, quantity: 1, unit_amount: a }]),
      status: 'processing',
      paymentStatus: 'paid',
      reviewStatus: 'none',
      fiscalStatus: 'not_required',
      deliveryStatus: 'not_started',
      ...seedHashes(i),
      createdAt: t,
      updatedAt: t,
    });
    batch.attempts.push({
      id: seedAttemptId(i),
      orderId: id,
      number: 1,
      paymentMethodId,
      connector: CONNECTOR,
      amount: a,
      currency: CURRENCY,
      providerRef: ref,
      providerRefNorm: ref.toLowerCase(),
      nextStep: seedNextStep(ref),
      status: 'succeeded',
      verifiedBy: 'signature',
      providerStatus: 'executed',
      createdAt: t,
      updatedAt: t,
    });
  }
  return batch;
}

/**
 * Seeds n paid orders, each with one succeeded attempt of the payment method, in one
 * transaction per 10,000 orders (bench/support/seed-orders.ts).
 */
export async function seedOrders(
  store: BenchStore,
  paymentMethodId: string,
  date: string,
  n: number,
  progress?: (done: number) => void,
): Promise<void> {
  // Settle never runs ANALYZE on SQLite, so neither does this suite: the planner sees what it
  // would in use. PostgreSQL is analysed, as autovacuum would have done by the time a day's
  // report arrives.
  await seedOrderRows(store, n, (from, to) => seedBatch(paymentMethodId, date, n, from, to), {
    sqliteAnalyze: false,
    progress,
  });
}
