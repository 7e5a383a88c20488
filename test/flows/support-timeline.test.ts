import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { paidOrder, settleOutbox, startWorld, type World } from '../support/after-payment.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});

interface Line {
  seq: number;
  kind: string;
  actor: string;
  summary: string;
  amount: number | null;
  currency: string | null;
  reason: string | null;
}

test("one order's timeline interleaves every track, each line with actor, amount and reason, and no personal data beyond the order's contact", async () => {
  const h = w.h;
  const { orderId } = await paidOrder(h, { lines: true, amount: 150000, ip: '203.0.113.77' });
  const adj = await h.api('POST', `/v1/orders/${orderId}/adjustments`, {
    kind: 'partial_cancellation',
    lines: [{ sku: 'MUG', quantity: 1 }],
    reason: 'out of stock',
  });
  assert.equal(adj.status, 201);
  await h.api(
    'POST',
    `/v1/orders/${orderId}/refunds/${adj.body.refund.id}/confirm`,
    { note: 'paid back by bank transfer' },
    { key: h.adminKey },
  );
  const ship = await h.api('POST', `/v1/orders/${orderId}/shipments`, { courier: 'FastPost', courier_ref: 'FP-9' });
  for (const status of ['packed', 'handed_to_courier'])
    await h.api('POST', `/v1/shipments/${ship.body.id}/events`, { status, at: '2026-11-23T10:00:00Z' });
  await h.api('POST', `/v1/shipments/${ship.body.id}/events`, {
    status: 'delivered',
    at: '2026-11-23T15:00:00Z',
    proof: { at: '2026-11-23T15:00:00Z', kind: 'code', reference: '4411' },
  });
  await settleOutbox(h, orderId);

  const res = await h.api('GET', `/v1/orders/${orderId}/timeline`);
  assert.equal(res.status, 200);
  const lines = res.body.data as Line[];
  assert.deepEqual(
    lines.map((l) => l.seq),
    [...lines.keys()].map((i) => i + 1),
    'one list, in the order things happened',
  );
  const tracks = new Set(lines.map((l) => l.kind.split('.')[0]));
  for (const track of ['order', 'payment', 'review', 'refund', 'shipment', 'delivery', 'receipt', 'sync', 'mail'])
    assert.ok(tracks.has(track), `the ${track} track is on the timeline`);
  for (const l of lines) {
    assert.ok(l.actor, `${l.kind} names its actor`);
    assert.ok(l.summary.length > 0);
  }

  const paid = lines.find((l) => l.kind === 'payment.succeeded')!;
  assert.deepEqual([paid.actor, paid.amount, paid.currency], ['provider', 150000, 'AMD']);
  const adjusted = lines.find((l) => l.kind === 'order.adjusted')!;
  assert.deepEqual([adjusted.actor, adjusted.amount, adjusted.reason], ['store', -75000, 'out of stock']);
  const refund = lines.find((l) => l.kind === 'refund.requested')!;
  assert.equal(refund.amount, 75000);
  assert.match(refund.reason!, /out of stock/);

  // The order holds an e-mail and a name; the buyer's IP is for the antifraud rules only.
  const text = JSON.stringify(lines);
  assert.equal(text.includes('203.0.113.77'), false, 'no IP address');
  assert.equal(
    text.includes('buyer@example.com'),
    false,
    'not even the contact: the timeline says what happened, not to whom',
  );
});
