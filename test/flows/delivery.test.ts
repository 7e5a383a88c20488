import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { paidOrder, startWorld, type World } from '../support/after-payment.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});

const order = async (id: string) => (await w.h.api('GET', `/v1/orders/${id}`)).body;
const event = (shipmentId: string, body: Record<string, unknown>) =>
  w.h.api('POST', `/v1/shipments/${shipmentId}/events`, { at: '2026-11-23T12:00:00Z', ...body });
const kinds = async (id: string) =>
  (await w.h.api('GET', `/v1/orders/${id}/timeline`)).body.data.map((e: { kind: string }) => e.kind);

test('partial shipments, a courier change and proof of delivery end in a completed order', async () => {
  const { orderId } = await paidOrder(w.h, { lines: true }); // 2 × MUG
  const first = await w.h.api('POST', `/v1/orders/${orderId}/shipments`, {
    lines: [{ sku: 'MUG', quantity: 1 }],
    courier: 'FastPost',
    courier_ref: 'FP-1',
  });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(
    (await w.h.api('POST', `/v1/orders/${orderId}/shipments`, { lines: [{ sku: 'MUG', quantity: 2 }] })).status,
    422,
    'never more than ordered',
  );
  const second = await w.h.api('POST', `/v1/orders/${orderId}/shipments`, {
    lines: [{ sku: 'MUG', quantity: 1 }],
    courier: 'FastPost',
  });

  for (const status of ['packed', 'handed_to_courier', 'delivered'])
    assert.equal((await event(first.body.id, { status })).status, 200);
  let o = await order(orderId);
  assert.deepEqual(
    [o.status, o.delivery_status],
    ['processing', 'handed_to_courier'],
    'one of two mugs delivered is not delivered',
  );

  assert.equal((await event(second.body.id, { status: 'handed_to_courier' })).status, 200);
  const changed = await event(second.body.id, {
    status: 'handed_to_courier',
    courier: 'SlowPost',
    courier_ref: 'SP-7',
  });
  assert.equal(changed.body.courier, 'SlowPost');
  assert.equal((await event(second.body.id, { status: 'packed' })).status, 409, 'the delivery table does not go back');
  assert.equal(
    (
      await event(second.body.id, {
        status: 'handed_to_courier',
        proof: { at: '2026-11-23T12:00:00Z', kind: 'code', reference: '4411' },
      })
    ).status,
    422,
    'proof goes with delivered',
  );
  const delivered = await event(second.body.id, {
    status: 'delivered',
    proof: { at: '2026-11-23T15:04:00Z', kind: 'signature', reference: 'SIG-55' },
  });
  assert.deepEqual(delivered.body.proof, { at: '2026-11-23T15:04:00Z', kind: 'signature', reference: 'SIG-55' });
  assert.equal(
    (await event(second.body.id, { status: 'delivered' })).status,
    200,
    "a courier's repeat is acknowledged",
  );

  o = await order(orderId);
  assert.deepEqual([o.status, o.payment_status, o.delivery_status], ['completed', 'paid', 'delivered']);
  assert.equal(o.shipments.length, 2);
  assert.equal(o.payments[0].status, 'succeeded', 'the courier change never touched the payment');
  const timeline = await kinds(orderId);
  assert.equal(timeline.filter((k: string) => k === 'shipment.delivered').length, 2, 'the repeat added nothing');
  assert.ok(timeline.includes('shipment.courier_changed'));
  assert.equal(timeline.at(-1), 'order.status_changed');
});

test('a failed delivery opens a task; a return opens one offering a refund; completion waits for both', async () => {
  const { orderId } = await paidOrder(w.h);
  const s = (await w.h.api('POST', `/v1/orders/${orderId}/shipments`, { courier: 'FastPost' })).body;
  await event(s.id, { status: 'handed_to_courier' });
  await event(s.id, { status: 'delivery_failed' });
  assert.equal((await order(orderId)).delivery_status, 'delivery_failed');
  const failed = await w.h.store.storage.read.listTasks({ orderId, kind: 'delivery_failed' });
  assert.equal(failed.length, 1);
  await event(s.id, { status: 'handed_to_courier', courier: 'OtherPost' });
  await event(s.id, {
    status: 'delivered',
    proof: { at: '2026-11-23T18:00:00Z', kind: 'courier_event', reference: 'EV-1' },
  });
  assert.equal((await order(orderId)).status, 'processing', 'the open task holds completion');
  await w.h.api(
    'POST',
    `/v1/tasks/${failed[0]!.id}/resolve`,
    { note: 'second courier delivered' },
    { key: w.h.adminKey },
  );
  assert.equal((await order(orderId)).status, 'completed', 'resolving the last task completes it');

  const back = await paidOrder(w.h);
  const r = (await w.h.api('POST', `/v1/orders/${back.orderId}/shipments`, {})).body;
  await event(r.id, { status: 'handed_to_courier' });
  await event(r.id, { status: 'delivered' });
  await event(r.id, { status: 'returned' });
  const o = await order(back.orderId);
  assert.equal(o.delivery_status, 'returned');
  const tasks = await w.h.store.storage.read.listTasks({ orderId: back.orderId, kind: 'return_received' });
  assert.match(tasks[0]!.reason, /offer the customer a refund/);
});

test('confirming the manual refund that was the last open task completes a delivered order', async () => {
  const { orderId } = await paidOrder(w.h);
  const s = (await w.h.api('POST', `/v1/orders/${orderId}/shipments`, {})).body;
  const refund = (
    await w.h.api(
      'POST',
      `/v1/orders/${orderId}/refunds`,
      { amount: 1000, reason: 'scratched box' },
      { key: w.h.adminKey },
    )
  ).body;
  await event(s.id, { status: 'handed_to_courier' });
  await event(s.id, { status: 'delivered' });
  assert.equal((await order(orderId)).status, 'processing', 'the refund task is open');
  await w.h.api(
    'POST',
    `/v1/orders/${orderId}/refunds/${refund.id}/confirm`,
    { note: 'bank transfer' },
    { key: w.h.adminKey },
  );
  const o = await order(orderId);
  assert.deepEqual([o.status, o.payment_status], ['completed', 'partially_refunded']);
});

test('only a paid, approved order ships; goods without delivery are fulfilled', async () => {
  const unpaid = await w.h.api('POST', '/v1/orders', { reference: `D-${Date.now()}`, currency: 'AMD', amount: 100 });
  assert.equal((await w.h.api('POST', `/v1/orders/${unpaid.body.id}/shipments`, {})).status, 409);
  assert.equal(
    (await w.h.api('POST', '/v1/shipments/shp_nope/events', { status: 'packed', at: '2026-11-23T12:00:00Z' })).status,
    404,
  );
  assert.equal(
    (await w.h.api('POST', '/v1/shipments/shp_nope/events', { status: 'packed', at: 'yesterday' })).status,
    400,
  );
  const { orderId } = await paidOrder(w.h);
  assert.equal((await w.h.api('POST', `/v1/orders/${orderId}/fulfil`, { note: 'picked up in the shop' })).status, 204);
  const o = await order(orderId);
  assert.deepEqual([o.status, o.delivery_status], ['completed', 'fulfilled']);
});

test("a courier's forward skip is applied with the skipped steps implied; a move backwards is refused", async () => {
  const { orderId } = await paidOrder(w.h);
  const s = (await w.h.api('POST', `/v1/orders/${orderId}/shipments`, { courier: 'FastPost' })).body;
  const delivered = await event(s.id, {
    status: 'delivered',
    proof: { at: '2026-11-23T15:04:00Z', kind: 'courier_event', reference: 'EV-9' },
  });
  assert.equal(delivered.status, 200, JSON.stringify(delivered.body));
  assert.equal(delivered.body.status, 'delivered');
  let o = await order(orderId);
  assert.deepEqual([o.status, o.delivery_status, o.shipments[0].status], ['completed', 'delivered', 'delivered']);
  const timeline = (await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data;
  const steps = timeline.filter((e: { kind: string }) => e.kind.startsWith('shipment.'));
  assert.deepEqual(
    steps.map((e: { kind: string }) => e.kind),
    ['shipment.created', 'shipment.handed_to_courier', 'shipment.delivered'],
  );
  assert.match(steps[1].summary, /handed to the courier \(implied: FastPost reported it delivered; no handover/);
  assert.doesNotMatch(steps[2].summary, /implied/);
  const stored = await w.h.store.storage.read.listEvents(orderId);
  assert.deepEqual(stored.find((e) => e.kind === 'shipment.handed_to_courier')?.data, {
    shipment_id: s.id,
    implied: true,
  });

  const back = await event(s.id, { status: 'packed' });
  assert.equal(back.status, 409);
  assert.equal(back.body.code, 'shipment_transition_invalid');
  assert.match(back.body.message, /backwards/);
  o = await order(orderId);
  assert.deepEqual([o.status, o.delivery_status, o.shipments[0].status], ['completed', 'delivered', 'delivered']);
  assert.equal((await w.h.api('GET', `/v1/orders/${orderId}/timeline`)).body.data.length, timeline.length);
});

test('a skip that lands on a failed delivery or a return opens the same task as the full walk', async () => {
  const failed = await paidOrder(w.h);
  const f = (await w.h.api('POST', `/v1/orders/${failed.orderId}/shipments`, {})).body;
  assert.equal((await event(f.id, { status: 'packed' })).status, 200);
  assert.equal((await event(f.id, { status: 'delivery_failed' })).status, 200);
  assert.equal((await order(failed.orderId)).delivery_status, 'delivery_failed');
  assert.equal(
    (await w.h.store.storage.read.listTasks({ orderId: failed.orderId, kind: 'delivery_failed' })).length,
    1,
  );

  const back = await paidOrder(w.h);
  const r = (await w.h.api('POST', `/v1/orders/${back.orderId}/shipments`, {})).body;
  assert.equal((await event(r.id, { status: 'returned' })).status, 200);
  assert.equal((await order(back.orderId)).delivery_status, 'returned');
  assert.deepEqual(
    (await kinds(back.orderId)).filter((k: string) => k.startsWith('shipment.')),
    ['shipment.created', 'shipment.handed_to_courier', 'shipment.delivery_failed', 'shipment.returned'],
    'a parcel never reported delivered came back after a failed delivery',
  );
  assert.equal((await w.h.store.storage.read.listTasks({ orderId: back.orderId, kind: 'return_received' })).length, 1);
  assert.equal(
    (await w.h.store.storage.read.listTasks({ orderId: back.orderId, kind: 'delivery_failed' })).length,
    0,
    'an implied step opens no task of its own',
  );
  assert.equal((await event(r.id, { status: 'delivered' })).status, 409, 'nothing follows a return');
});
