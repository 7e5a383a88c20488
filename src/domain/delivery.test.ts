import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkShipmentLines,
  completesOrder,
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  deriveDeliveryStatus,
  type Shipment,
} from './delivery.js';

const lines = [
  { sku: 'A', name: 'Mug', quantity: 2, unit_amount: 100 },
  { sku: 'B', name: 'Tea', quantity: 1, unit_amount: 50 },
];
const ship = (status: Shipment['status'], l: Shipment['lines'] = []): Shipment => ({
  id: 's',
  orderId: 'o',
  lines: l,
  courier: null,
  courierRef: null,
  status,
  proof: null,
  createdAt: '',
  updatedAt: '',
});

test('every delivery status is reachable, and returned is final', () => {
  const seen = new Set(['not_started']);
  const queue: Shipment['status'][] = ['not_started'];
  while (queue.length)
    for (const n of DELIVERY_TRANSITIONS[queue.shift()!])
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
  assert.deepEqual([...seen].sort(), [...DELIVERY_STATUSES].sort());
  assert.deepEqual(DELIVERY_TRANSITIONS.returned, []);
});

test('an order is delivered only when delivered shipments cover every line', () => {
  assert.equal(deriveDeliveryStatus(lines, [], false), 'not_started');
  assert.equal(
    deriveDeliveryStatus(lines, [ship('delivered', [{ sku: 'A', quantity: 2 }])], false),
    'handed_to_courier',
  );
  assert.equal(
    deriveDeliveryStatus(
      lines,
      [ship('delivered', [{ sku: 'A', quantity: 2 }]), ship('delivered', [{ sku: 'B', quantity: 1 }])],
      false,
    ),
    'delivered',
  );
  assert.equal(deriveDeliveryStatus(lines, [ship('delivered')], false), 'delivered', 'a whole-order shipment');
  assert.equal(deriveDeliveryStatus(lines, [ship('delivered'), ship('delivery_failed')], false), 'delivery_failed');
  assert.equal(deriveDeliveryStatus(lines, [ship('packed')], false), 'packed');
  assert.equal(deriveDeliveryStatus([], [], true), 'fulfilled');
});

test('shipment lines never exceed what was ordered', () => {
  assert.equal(
    checkShipmentLines(lines, [ship('packed', [{ sku: 'A', quantity: 1 }])], [{ sku: 'A', quantity: 1 }]),
    null,
  );
  assert.match(
    checkShipmentLines(lines, [ship('packed', [{ sku: 'A', quantity: 1 }])], [{ sku: 'A', quantity: 2 }])!,
    /too many/,
  );
  assert.match(checkShipmentLines(lines, [], [{ sku: 'Z', quantity: 1 }])!, /no line Z/);
  assert.match(
    checkShipmentLines(
      lines,
      [],
      [
        { sku: 'A', quantity: 2 },
        { sku: 'A', quantity: 1 },
      ],
    )!,
    /too many/,
    'one sku named twice counts as the sum',
  );
  assert.equal(
    checkShipmentLines(lines, [ship('returned', [{ sku: 'A', quantity: 2 }])], [{ sku: 'A', quantity: 2 }]),
    null,
    'a returned shipment frees its lines',
  );
});

test('completion needs paid net of refunds, delivered or fulfilled, and no open task', () => {
  const done = { status: 'processing', paymentStatus: 'paid', deliveryStatus: 'delivered' as const };
  assert.equal(completesOrder(done, 0), true);
  assert.equal(completesOrder({ ...done, paymentStatus: 'partially_refunded' }, 0), true);
  assert.equal(completesOrder({ ...done, paymentStatus: 'refunded' }, 0), false);
  assert.equal(completesOrder({ ...done, paymentStatus: 'charged_back' }, 0), false);
  assert.equal(completesOrder({ ...done, deliveryStatus: 'handed_to_courier' }, 0), false);
  assert.equal(completesOrder({ ...done, deliveryStatus: 'fulfilled' }, 0), true);
  assert.equal(completesOrder(done, 1), false);
  assert.equal(completesOrder(done, 0, 500), false, 'an amount that rose and is not yet paid keeps the order open');
  assert.equal(completesOrder({ ...done, status: 'on_hold' }, 0), false);
});
