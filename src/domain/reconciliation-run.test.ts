import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Order, PaymentAttempt } from './order.js';
import type { FiscalReceipt } from './receipt.js';
import type { Refund } from './refund.js';
import { checkOrder, dayWindow } from './reconciliation-run.js';

const order = (over: Partial<Order> = {}) =>
  ({
    id: 'ord_1',
    reference: 'R-1',
    currency: 'AMD',
    amount: 10000,
    status: 'processing',
    deliveryStatus: 'not_started',
    ...over,
  }) as Order;
const paid = (id: string, amount = 10000) =>
  ({ id, providerRef: id, status: 'succeeded', amount, currency: 'AMD' }) as PaymentAttempt;
const refund = (amount: number, status: Refund['status'] = 'succeeded') =>
  ({ id: `ref_${amount}`, attemptId: 'p1', amount, status, orderId: 'ord_1' }) as Refund;
const receipt = (over: Partial<FiscalReceipt>) =>
  ({ id: 'rc', kind: 'sale', attemptId: 'p1', refundId: null, status: 'issued', ...over }) as FiscalReceipt;
const kinds = (input: Partial<Parameters<typeof checkOrder>[0]>) =>
  checkOrder({ order: order(), attempts: [], refunds: [], receipts: [], fiscalOn: true, ...input }).map((f) => f.kind);

test('the day is a UTC window; a date that is not one is refused', () => {
  assert.deepEqual(dayWindow('2026-11-22'), { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' });
  assert.equal(dayWindow('2026-02-30'), undefined);
  assert.equal(dayWindow('22.11.2026'), undefined);
});

test("internal checks find what Settle's own records say is wrong", () => {
  assert.deepEqual(
    kinds({ attempts: [paid('p1')], receipts: [receipt({})] }),
    [],
    'a paid order with its receipt is fine',
  );
  assert.deepEqual(kinds({ attempts: [paid('p1')], receipts: [receipt({ status: 'pending' })] }), ['receipt_missing']);
  assert.deepEqual(kinds({ attempts: [paid('p1')], fiscalOn: false }), [], 'no receipts required, none missing');
  assert.deepEqual(kinds({ attempts: [paid('p1')], receipts: [receipt({})], refunds: [refund(500)] }), [
    'refund_receipt_missing',
  ]);
  assert.deepEqual(kinds({ order: order({ status: 'canceled' }), attempts: [paid('p1')], receipts: [receipt({})] }), [
    'canceled_not_refunded',
  ]);
  assert.deepEqual(
    kinds({
      order: order({ status: 'canceled' }),
      attempts: [paid('p1')],
      receipts: [receipt({}), receipt({ kind: 'refund', refundId: 'ref_10000' })],
      refunds: [refund(10000)],
    }),
    [],
  );
  assert.deepEqual(kinds({ order: order({ deliveryStatus: 'delivered' }) }), ['delivered_not_paid']);
  assert.deepEqual(
    kinds({ attempts: [paid('p1'), paid('p2')], receipts: [receipt({}), receipt({ attemptId: 'p2' })] }),
    ['paid_twice'],
  );
  assert.deepEqual(
    kinds({
      attempts: [paid('p1'), paid('p2')],
      receipts: [receipt({}), receipt({ attemptId: 'p2' }), receipt({ kind: 'refund', refundId: 'ref_10000' })],
      refunds: [refund(10000)],
    }),
    [],
    'the surplus went back',
  );
});
