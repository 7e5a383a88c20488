import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkShipmentLines,
  completesOrder,
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  deliveryPath,
  deriveDeliveryStatus,
  type DeliveryStatus,
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

const status = fc.constantFrom(...DELIVERY_STATUSES);
const allowed = (from: DeliveryStatus, to: DeliveryStatus) => DELIVERY_TRANSITIONS[from].includes(to);
// A failed delivery is handed over again: the one pair that moves forward both ways.
const retryLoop = (a: DeliveryStatus, b: DeliveryStatus) =>
  (a === 'handed_to_courier' && b === 'delivery_failed') || (a === 'delivery_failed' && b === 'handed_to_courier');

test('every pair of statuses: the forward path with its implied steps, or none for a move backwards', () => {
  const pk = 'packed',
    hc = 'handed_to_courier',
    dl = 'delivered',
    df = 'delivery_failed',
    rt = 'returned';
  const expected: Record<DeliveryStatus, Record<DeliveryStatus, DeliveryStatus[] | null>> = {
    not_started: {
      not_started: [],
      packed: [pk],
      handed_to_courier: [hc],
      delivered: [hc, dl],
      delivery_failed: [hc, df],
      returned: [hc, df, rt], // never reported delivered: back after a failed delivery
    },
    packed: {
      not_started: null,
      packed: [],
      handed_to_courier: [hc],
      delivered: [hc, dl],
      delivery_failed: [hc, df],
      returned: [hc, df, rt],
    },
    handed_to_courier: {
      not_started: null,
      packed: null,
      handed_to_courier: [],
      delivered: [dl],
      delivery_failed: [df],
      returned: [df, rt],
    },
    delivered: {
      not_started: null,
      packed: null,
      handed_to_courier: null,
      delivered: [],
      delivery_failed: null,
      returned: [rt],
    },
    delivery_failed: {
      not_started: null,
      packed: null,
      handed_to_courier: [hc],
      delivered: [hc, dl],
      delivery_failed: [],
      returned: [rt],
    },
    returned: {
      not_started: null,
      packed: null,
      handed_to_courier: null,
      delivered: null,
      delivery_failed: null,
      returned: [],
    },
  };
  for (const from of DELIVERY_STATUSES)
    for (const to of DELIVERY_STATUSES) assert.deepEqual(deliveryPath(from, to), expected[from][to], `${from} → ${to}`);
});

test('a forward path is a chain of allowed moves, never through its start or an implied delivery', () => {
  fc.assert(
    fc.property(status, status, (from, to) => {
      const path = deliveryPath(from, to);
      if (from === to) return assert.deepEqual(path, []);
      if (allowed(from, to)) assert.deepEqual(path, [to], 'a direct move implies nothing');
      if (path === null) return;
      assert.equal(path.at(-1), to);
      assert.ok(!path.includes(from));
      assert.ok(!path.slice(0, -1).includes('delivered'), 'a delivery is never implied');
      assert.equal(new Set(path).size, path.length);
      path.forEach((s, i) => assert.ok(allowed(i === 0 ? from : path[i - 1]!, s), `${from} → ${to}`));
    }),
  );
});

test('a backwards pair has no path: only the retry loop goes both ways', () => {
  fc.assert(
    fc.property(status, status, (a, b) => {
      if (a === b || retryLoop(a, b)) return;
      if (deliveryPath(b, a) !== null) assert.equal(deliveryPath(a, b), null, `${a} → ${b} moves backwards`);
    }),
  );
  assert.equal(deliveryPath('delivered', 'packed'), null);
  assert.equal(deliveryPath('handed_to_courier', 'not_started'), null);
});

test('whatever a courier walks through, any later status is reached by a path no longer than the walk', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 12 }), (choices) => {
      const walk: DeliveryStatus[] = ['not_started'];
      for (const c of choices) {
        const next = DELIVERY_TRANSITIONS[walk.at(-1)!];
        if (next.length === 0) break;
        walk.push(next[c % next.length]!);
      }
      for (let i = 0; i < walk.length; i++)
        for (let j = i; j < walk.length; j++) {
          const path = deliveryPath(walk[i]!, walk[j]!);
          assert.ok(path !== null, `${walk[i]} → ${walk[j]} lies on a walk`);
          assert.ok(path.length <= j - i);
        }
    }),
  );
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
