import { amount, CONNECTOR, CURRENCY } from '../reconcile/data.js';
import {
  seedAttemptId,
  seedHashes,
  seedNextStep,
  seedOrderId,
  seedOrderRows,
  type SeedBatch,
  type SeedOutbox,
} from '../support/seed-orders.js';
import type { BenchStore } from '../support/store.js';

/**
 * The order list's data set, a formula of the order number i (0 ≤ i < n): orders spread evenly
 * over DAYS days, each on one of the profiles below (statuses on every track that go together,
 * with a shop's skewed frequencies), one payment attempt each (95% through the main payment
 * method, 5% through the second), one delivered webhook message each, and a few hundred orders
 * whose webhook was given up (the `sync=failed` filter). Deterministic: the same n gives the
 * same orders, so two runs measure the same thing.
 */

/** The first day of the orders (UTC); they run for DAYS days. */
export const FIRST_DAY = '2025-04-01';
export const DAYS = 90;
const DAY_MS = 86_400_000;
const START = Date.parse(`${FIRST_DAY}T00:00:00.000Z`);

/** How many orders have a webhook message that was given up (spread evenly over the orders). */
export const SYNC_FAILED = 300;
/** The share of orders paid through the second payment method. */
export const SECOND_METHOD_SHARE = 0.05;

/** The store's order number: unique, mixed case (Settle matches references without regard to case). */
export const reference = (i: number): string => `Shop-${String(i + 1).padStart(7, '0')}`;
export const orderId = seedOrderId;

/** When order i was made: evenly over the DAYS days, oldest first. */
export const createdAt = (i: number, n: number): string =>
  new Date(START + Math.floor((i * DAYS * DAY_MS) / n)).toISOString();

/** A day of the data set, YYYY-MM-DD (0 = FIRST_DAY). */
export const day = (k: number): string => new Date(START + k * DAY_MS).toISOString().slice(0, 10);

/** A fixed pseudo-random number in [0, 1) for order i and a purpose (salt): murmur3's finaliser. */
export function unit(i: number, salt: number): number {
  let x = (i + 1) ^ Math.imul(salt, 0x9e3779b9);
  for (let k = 0; k < 2; k++) {
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
  }
  return (x >>> 0) / 4_294_967_296;
}

type Weighted = readonly (readonly [string, number])[];

function pick(options: Weighted, u: number): string {
  let acc = 0;
  for (const [v, w] of options) {
    acc += w;
    if (u < acc) return v;
  }
  return options.at(-1)![0];
}

/** Statuses on every track that belong together, and how often a shop sees them. */
export interface Profile {
  name: string;
  share: number;
  status: string;
  payment: string;
  attempt: Weighted;
  delivery: Weighted;
  fiscal: Weighted;
  review: Weighted;
}

const PAID = [['succeeded', 1]] as const;
const NONE_MOSTLY = [
  ['none', 0.97],
  ['approved', 0.03],
] as const;

export const PROFILES: readonly Profile[] = [
  {
    name: 'completed, paid',
    share: 0.811,
    status: 'completed',
    payment: 'paid',
    attempt: PAID,
    delivery: [
      ['delivered', 0.88],
      ['fulfilled', 0.12],
    ],
    fiscal: [
      ['issued', 0.9],
      ['not_required', 0.0994],
      ['failed', 0.0006],
    ],
    review: NONE_MOSTLY,
  },
  {
    name: 'completed, partially refunded',
    share: 0.02,
    status: 'completed',
    payment: 'partially_refunded',
    attempt: PAID,
    delivery: [['delivered', 1]],
    fiscal: [['issued', 1]],
    review: NONE_MOSTLY,
  },
  {
    name: 'completed, refunded (returned)',
    share: 0.006,
    status: 'completed',
    payment: 'refunded',
    attempt: PAID,
    delivery: [['returned', 1]],
    fiscal: [['issued', 1]],
    review: NONE_MOSTLY,
  },
  {
    name: 'canceled after payment, refunded',
    share: 0.004,
    status: 'canceled',
    payment: 'refunded',
    attempt: PAID,
    delivery: [['not_started', 1]],
    fiscal: [['issued', 1]],
    review: NONE_MOSTLY,
  },
  {
    name: 'completed, charged back',
    share: 0.0005,
    status: 'completed',
    payment: 'charged_back',
    attempt: PAID,
    delivery: [['delivered', 1]],
    fiscal: [['issued', 1]],
    review: NONE_MOSTLY,
  },
  {
    name: 'processing (paid, being shipped)',
    share: 0.07,
    status: 'processing',
    payment: 'paid',
    attempt: PAID,
    delivery: [
      ['not_started', 0.5],
      ['packed', 0.25],
      ['handed_to_courier', 0.25],
    ],
    fiscal: [
      ['issued', 0.9],
      ['pending', 0.098],
      ['failed', 0.002],
    ],
    review: [
      ['none', 0.95],
      ['approved', 0.05],
    ],
  },
  {
    name: 'processing, delivery failed',
    share: 0.001,
    status: 'processing',
    payment: 'paid',
    attempt: PAID,
    delivery: [['delivery_failed', 1]],
    fiscal: [['issued', 1]],
    review: [['none', 1]],
  },
  {
    name: 'on hold (paid, a person must look)',
    share: 0.004,
    status: 'on_hold',
    payment: 'paid',
    attempt: PAID,
    delivery: [['not_started', 1]],
    fiscal: [
      ['issued', 0.5],
      ['pending', 0.5],
    ],
    review: [
      ['pending', 0.6],
      ['none', 0.3],
      ['rejected', 0.1],
    ],
  },
  {
    name: 'pending payment',
    share: 0.06,
    status: 'pending_payment',
    payment: 'pending',
    attempt: [
      ['pending', 0.7],
      ['created', 0.3],
    ],
    delivery: [['not_started', 1]],
    fiscal: [['not_required', 1]],
    review: [['none', 1]],
  },
  {
    name: 'payment failed',
    share: 0.01,
    status: 'payment_failed',
    payment: 'unpaid',
    attempt: [['failed', 1]],
    delivery: [['not_started', 1]],
    fiscal: [['not_required', 1]],
    review: [['none', 1]],
  },
  {
    name: 'canceled before payment',
    share: 0.0135,
    status: 'canceled',
    payment: 'unpaid',
    attempt: [
      ['canceled', 0.5],
      ['expired', 0.5],
    ],
    delivery: [['not_started', 1]],
    fiscal: [['not_required', 1]],
    review: [['none', 1]],
  },
];

export function profileOf(i: number): Profile {
  const u = unit(i, 1);
  let acc = 0;
  for (const p of PROFILES) {
    acc += p.share;
    if (u < acc) return p;
  }
  return PROFILES[0]!;
}

const PROVIDER_STATUS: Record<string, string | null> = {
  succeeded: 'executed',
  pending: 'opened',
  created: null,
  failed: 'error#1021',
  canceled: 'canceled',
  expired: null,
};

/** Whether order i's webhook was given up: SYNC_FAILED orders, evenly spread. */
export function syncFailed(i: number, n: number): boolean {
  const step = Math.max(1, Math.floor(n / SYNC_FAILED));
  return i % step === Math.floor(step / 2) && i / step < SYNC_FAILED;
}

export interface OrderSetup {
  /** The payment method 95% of the orders were paid through, and the second one. */
  mainMethodId: string;
  secondMethodId: string;
  /** The webhook endpoint the outbox messages go to. */
  endpointId: string;
}

/** The tracks of order i, as seeded (for the suite's checks). */
export function tracksOf(i: number): {
  status: string;
  payment: string;
  delivery: string;
  fiscal: string;
  review: string;
  attempt: string;
  second: boolean;
} {
  const p = profileOf(i);
  return {
    status: p.status,
    payment: p.payment,
    delivery: pick(p.delivery, unit(i, 2)),
    fiscal: pick(p.fiscal, unit(i, 3)),
    review: pick(p.review, unit(i, 4)),
    attempt: pick(p.attempt, unit(i, 6)),
    second: unit(i, 5) < SECOND_METHOD_SHARE,
  };
}

function batchOf(setup: OrderSetup, n: number, from: number, to: number): SeedBatch {
  const batch: SeedBatch = { orders: [], attempts: [], outbox: [] };
  for (let i = from; i < to; i++) {
    const t = tracksOf(i);
    const ref = reference(i);
    const a = amount(i);
    const at = createdAt(i, n);
    // Paid orders changed later (payment, shipping); unpaid ones a little after they were made.
    const later = new Date(Date.parse(at) + (t.attempt === 'succeeded' ? 2 * DAY_MS : 15 * 60_000)).toISOString();
    const id = orderId(i);
    batch.orders.push({
      id,
      reference: ref,
      referenceNorm: ref.toLowerCase(),
      currency: CURRENCY,
      amount: a,
      lines: JSON.stringify([{ sku: `SKU-${i % 500}`, name: `Bench item ${i % 500}`, quantity: 1, unit_amount: a }]),
      status: t.status,
      paymentStatus: t.payment,
      reviewStatus: t.review,
      fiscalStatus: t.fiscal,
      deliveryStatus: t.delivery,
      ...seedHashes(i),
      createdAt: at,
      updatedAt: later,
    });
    batch.attempts.push({
      id: seedAttemptId(i),
      orderId: id,
      number: 1,
      paymentMethodId: t.second ? setup.secondMethodId : setup.mainMethodId,
      connector: CONNECTOR,
      amount: a,
      currency: CURRENCY,
      providerRef: ref,
      providerRefNorm: ref.toLowerCase(),
      nextStep: seedNextStep(ref),
      status: t.attempt,
      verifiedBy: t.attempt === 'succeeded' ? 'signature' : null,
      providerStatus: PROVIDER_STATUS[t.attempt] ?? null,
      createdAt: at,
      updatedAt: later,
    });
    const message = (seq: number, eventType: string, status: 'delivered' | 'failed', when: string): SeedOutbox => ({
      id: `msg_bench${String(i).padStart(8, '0')}_${seq}`,
      topic: 'webhook',
      eventType,
      orderId: id,
      orderSeq: seq,
      target: setup.endpointId,
      payload: JSON.stringify({ type: eventType, order_id: id, reference: ref }),
      status,
      attempts: status === 'failed' ? 12 : 1,
      nextAttemptAt: when,
      lastError: status === 'failed' ? 'HTTP 503 from the store' : null,
      createdAt: when,
      deliveredAt: status === 'delivered' ? when : null,
    });
    batch.outbox.push(message(1, 'order.created', 'delivered', at));
    if (syncFailed(i, n)) batch.outbox.push(message(2, 'payment.succeeded', 'failed', later));
  }
  return batch;
}

/** Seeds the n orders, then ANALYZE on both stores (what a production database has: statistics). */
export async function seedOrderSet(
  store: BenchStore,
  setup: OrderSetup,
  n: number,
  progress?: (done: number) => void,
): Promise<void> {
  await seedOrderRows(store, n, (from, to) => batchOf(setup, n, from, to), { sqliteAnalyze: true, progress });
}

/** How many of the n orders have each value on each track (for the suite's table of the data). */
export function trackCounts(n: number): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {
    status: {},
    payment_status: {},
    delivery_status: {},
    fiscal_status: {},
    review_status: {},
    payment_method: {},
  };
  const add = (track: string, v: string) => {
    const t = counts[track]!;
    t[v] = (t[v] ?? 0) + 1;
  };
  for (let i = 0; i < n; i++) {
    const t = tracksOf(i);
    add('status', t.status);
    add('payment_status', t.payment);
    add('delivery_status', t.delivery);
    add('fiscal_status', t.fiscal);
    add('review_status', t.review);
    add('payment_method', t.second ? 'second' : 'main');
  }
  return counts;
}
