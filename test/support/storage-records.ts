// Records for the storage tests (test/flows/storage-*.test.ts), and a count of what pg sends.
import pg from 'pg';
import type { Order, PaymentAttempt } from '../../src/domain/order.js';
import type { TaskRecord } from '../../src/domain/task.js';
import type { WebhookEndpointRecord } from '../../src/domain/webhook-endpoint.js';
import type { TestStore } from './store.js';

export const T0 = '2026-11-23T10:00:00.000Z';

export function order(id: string): Order {
  return {
    id,
    reference: `ref-${id}`,
    currency: 'EUR',
    originalAmount: 1000,
    amount: 1000,
    shippingAmount: 0,
    lines: [],
    customer: {},
    returnUrl: null,
    locale: null,
    metadata: {},
    status: 'pending_payment',
    paymentStatus: 'unpaid',
    reviewStatus: 'none',
    fiscalStatus: 'not_required',
    deliveryStatus: 'not_started',
    contentHash: 'h',
    createdAt: T0,
    updatedAt: T0,
  };
}

export function attempt(id: string, orderId: string): PaymentAttempt {
  return {
    id,
    orderId,
    paymentMethodId: 'pm_b',
    connector: 'acquiring-v1',
    amount: 1000,
    currency: 'EUR',
    providerRef: id,
    nextStep: null,
    status: 'pending',
    verifiedBy: null,
    providerStatus: null,
    errorCode: null,
    paymentLinkId: null,
    createdAt: T0,
    updatedAt: T0,
  } as PaymentAttempt;
}

export function task(id: string, orderId: string): TaskRecord {
  return {
    id,
    kind: 'callback_unmatched',
    reason: 'r',
    owner: 'support',
    status: 'open',
    resolution: null,
    orderId,
    createdAt: T0,
    resolvedAt: null,
  } as TaskRecord;
}

/** An enabled webhook endpoint for every event. */
export function webhookEndpoint(id: string, createdAt = T0): WebhookEndpointRecord {
  return {
    id,
    url: 'http://127.0.0.1:9/h',
    events: ['*'],
    secretCiphertext: 'x',
    statusMapPreset: null,
    statusMap: {} as never,
    enabled: true,
    createdAt,
    updatedAt: createdAt,
  };
}

/** Counts the statements pg sends while fn runs (PostgreSQL only; null on SQLite). */
export async function statements<T>(
  store: TestStore,
  fn: () => Promise<T>,
): Promise<{ result: T; sent: string[] | null }> {
  if (store.kind !== 'postgres') return { result: await fn(), sent: null };
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string };
    sent.push((typeof q === 'string' ? q : q.text).trim().split(/\s+/).slice(0, 3).join(' ').toLowerCase());
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    return { result: await fn(), sent };
  } finally {
    pg.Client.prototype.query = original;
  }
}

/** The payment method the records name, inserted. */
export async function insertBatchMethod(store: TestStore): Promise<void> {
  await store.storage.transaction((tx) =>
    tx.insertPaymentMethod({
      id: 'pm_b',
      name: 'Batch',
      connector: 'acquiring-v1',
      settings: {},
      secretsCiphertext: 'not read here',
      currencies: ['EUR'],
      minAmount: null,
      maxAmount: null,
      enabled: true,
      autoApprove: true,
      autoRefundSurplus: false,
      reportMapping: null,
      createdAt: T0,
    }),
  );
}
