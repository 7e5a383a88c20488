import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { planAdjustment } from './adjustment.js';

const lines = [
  { sku: 'A', name: 'Mug', quantity: 3, unit_amount: 700 },
  { sku: 'B', name: 'Tea', quantity: 2, unit_amount: 250 },
];

test('a partial cancellation takes whole units off at their price; other kinds state their delta', () => {
  const r = planAdjustment(
    { amount: 2600, lines },
    { kind: 'partial_cancellation', lines: [{ sku: 'A', quantity: 1 }] },
  );
  assert.ok(r.ok);
  assert.deepEqual([r.value.delta, r.value.amountAfter, r.value.lines[0]!.quantity], [-700, 1900, 2]);
  assert.equal(
    planAdjustment({ amount: 2600, lines }, { kind: 'partial_cancellation', lines: [{ sku: 'B', quantity: 3 }] }).ok,
    false,
  );
  assert.equal(planAdjustment({ amount: 2600, lines }, { kind: 'fee_change', amountDelta: 300 }).ok && true, true);
  assert.equal(
    planAdjustment({ amount: 2600, lines }, { kind: 'manual_price', amountDelta: -2600 }).ok,
    false,
    'never to zero',
  );
  assert.equal(planAdjustment({ amount: 2600, lines }, { kind: 'replacement' }).ok, false, 'a delta is required');
});

test('property: original − cancelled + added = adjusted, over any sequence of adjustments', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.record({ cancel: fc.constantFrom('A', 'B') }),
          fc.record({ delta: fc.integer({ min: -500, max: 500 }).filter((n) => n !== 0) }),
        ),
        { maxLength: 12 },
      ),
      (steps) => {
        const original = 2600;
        let order = { amount: original, lines: lines.map((l) => ({ ...l })) };
        let cancelled = 0;
        let added = 0;
        for (const s of steps) {
          const r =
            'cancel' in s
              ? planAdjustment(order, { kind: 'partial_cancellation', lines: [{ sku: s.cancel, quantity: 1 }] })
              : planAdjustment(order, { kind: 'fee_change', amountDelta: s.delta });
          if (!r.ok) continue;
          if (r.value.delta < 0) cancelled -= r.value.delta;
          else added += r.value.delta;
          order = { amount: r.value.amountAfter, lines: r.value.lines };
          assert.ok(order.amount > 0);
        }
        assert.equal(original - cancelled + added, order.amount);
      },
    ),
  );
});
