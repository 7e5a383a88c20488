import { createHash } from 'node:crypto';
import { seedAttemptId, seedHashes, seedNextStep, seedOrderId, type SeedBatch } from '../support/seed-orders.js';

/**
 * The orders the callback runs pay: order i has one open payment attempt ("pending", the acquirer
 * said "opened") whose provider reference is callbackRef(i), through the bench's payment method.
 * Its callback is the acquirer's signed "executed" webhook, sent once.
 */

/** The acquiring-v1 settings of the bench's payment method (nothing calls the acquirer). */
export const SHOP_ID = 'bench-shop';
export const PRIVATE_KEY = 'bench-private-key-5d1c0a7e93b2';
export const SETTINGS = {
  shop_id: SHOP_ID,
  private_key: PRIVATE_KEY,
  payment_page_url: 'http://127.0.0.1:9/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
  api_base_url: 'http://127.0.0.1:9',
};

export const CURRENCY = 'AMD';
export const AMOUNT = 150_000;

/** The acquirer's OrderID of order i: letters and digits, as the acquirer takes them. */
export const callbackRef = (i: number): string => `cb${String(i).padStart(8, '0')}`;

/** The webhook body, signed as src/connectors/acquiring-v1/wire.ts verifies it: md5(PrivKey;OrderID;status). */
export function callbackBody(i: number, status = 'executed'): string {
  const orderId = callbackRef(i);
  const hash = createHash('md5').update(`${PRIVATE_KEY};${orderId};${status}`, 'utf8').digest('hex');
  return JSON.stringify({ order_id: orderId, status, hash });
}

export function callbackBatch(paymentMethodId: string, from: number, to: number): SeedBatch {
  const batch: SeedBatch = { orders: [], attempts: [], outbox: [] };
  const at = new Date().toISOString();
  for (let i = from; i < to; i++) {
    const ref = callbackRef(i);
    const id = seedOrderId(i);
    batch.orders.push({
      id,
      reference: `Bench-${ref}`,
      referenceNorm: `bench-${ref}`,
      currency: CURRENCY,
      amount: AMOUNT,
      lines: JSON.stringify([{ sku: 'SKU-1', name: 'Bench item', quantity: 1, unit_amount: AMOUNT }]),
      status: 'pending_payment',
      paymentStatus: 'pending',
      reviewStatus: 'none',
      fiscalStatus: 'not_required',
      deliveryStatus: 'not_started',
      ...seedHashes(i),
      createdAt: at,
      updatedAt: at,
    });
    batch.attempts.push({
      id: seedAttemptId(i),
      orderId: id,
      number: 1,
      paymentMethodId,
      connector: 'acquiring-v1',
      amount: AMOUNT,
      currency: CURRENCY,
      providerRef: ref,
      providerRefNorm: ref.toLowerCase(),
      nextStep: seedNextStep(ref),
      status: 'pending',
      verifiedBy: null,
      providerStatus: 'opened',
      createdAt: at,
      updatedAt: at,
    });
  }
  return batch;
}
