import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { attemptFromRow } from '../../src/storage/repos/attempts.js';
import { orderFromRow } from '../../src/storage/repos/orders.js';
import { paymentMethodFromRow } from '../../src/storage/repos/payment-methods.js';
import { freshStore, type TestStore } from '../support/store.js';
import { attempt, insertBatchMethod, order, T0 } from '../support/storage-records.js';

// On PostgreSQL the compiled whole-row reads come back as jsonb (src/storage/repos/compiled-reads.ts),
// so a bigint arrives as a number, not pg's string. What the app reads must be what Kysely's own
// row gives, on both stores, with amounts beyond 32 bits and every kind of column filled.

let store: TestStore;
before(async () => {
  store = await freshStore();
  await insertBatchMethod(store);
});
after(async () => {
  await store.drop();
});

test('an order, its attempt and its payment method read through the compiled reads equal the plain rows', async () => {
  const big = 4_000_000_000_123; // more than 32 bits, less than 2^53
  const o = {
    ...order('ord_json1'),
    originalAmount: big,
    amount: big,
    shippingAmount: 12_345,
    lines: [{ sku: 'S-1', name: 'Ünïcode "quoted" \\ line', quantity: 2, unitAmount: big / 2 }],
    customer: { email: 'a@example.com', ip: '127.0.0.1' },
    returnUrl: 'http://127.0.0.1/return?x=1&y=2',
    locale: 'hy',
    metadata: { nested: { n: 1, s: 'x' } },
  };
  const a = { ...attempt('pa_json1', o.id), amount: big, nextStep: { type: 'redirect', url: 'http://127.0.0.1/p' } };
  await store.storage.transaction(async (tx) => {
    assert.equal(await tx.insertOrder(o as never, 'kh_json', 'ref-json1'), true);
    assert.equal(await tx.insertAttempt(a as never, 'pa_json1'), true);
  });
  const db = store.storage.db;
  const plainOrder = orderFromRow(
    await db.selectFrom('orders').selectAll().where('id', '=', o.id).executeTakeFirstOrThrow(),
  );
  const plainAttempt = attemptFromRow(
    await db.selectFrom('payment_attempts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow(),
  );
  const plainMethod = paymentMethodFromRow(
    await db.selectFrom('payment_methods').selectAll().where('id', '=', 'pm_b').executeTakeFirstOrThrow(),
  );
  assert.equal(plainOrder.amount, big);

  assert.deepEqual(await store.storage.read.getOrder(o.id), plainOrder);
  assert.deepEqual(await store.storage.read.listAttempts(o.id), [plainAttempt]);
  assert.deepEqual(
    await store.storage.read.findAttemptByProviderRef('pm_b', { norm: 'pa_json1', raw: 'pa_json1' }),
    plainAttempt,
  );
  assert.deepEqual(await store.storage.read.getPaymentMethod('pm_b'), plainMethod);
  const locked = await store.storage.transaction((tx) => tx.lockOrderState(o.id));
  assert.deepEqual(locked?.order, plainOrder);
  assert.deepEqual(locked?.attempts, [plainAttempt]);
  assert.equal(plainOrder.createdAt, T0);
});
