// Several outbox workers on one database share the queue: every message is delivered once, and
// the work is spread (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write lock serialises claims).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { startOutboxWorker } from '../../src/worker/outbox-worker.js';
import { waitFor } from '../support/async.js';
import { startWorld, type World } from '../support/after-payment.js';
import { newReference } from '../support/harness.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w.close();
});

test('four workers deliver 40 webhooks exactly once between them', async () => {
  w.receiver.setSwitches({ holdMs: 30 });
  const orders = await Promise.all(
    Array.from({ length: 40 }, () =>
      w.h.api('POST', '/v1/orders', { reference: newReference('W'), currency: 'AMD', amount: 100 }),
    ),
  );
  assert.ok(orders.every((o) => o.status === 201));
  const sentBy = [0, 0, 0, 0];
  const workers = sentBy.map((_, i) =>
    startOutboxWorker(
      { ...w.h.deps, webhooks: { send: (d) => ((sentBy[i]! += 1), w.h.deps.webhooks.send(d)) } },
      { pollMs: 20, batch: 5, logger: pino({ level: 'silent' }) },
    ),
  );
  try {
    await waitFor(
      'every webhook is delivered',
      async () =>
        (await w.h.store.storage.read.listOutbox({ topic: 'webhook', status: 'pending', limit: 1 })).length === 0,
      20_000,
      50,
    );
  } finally {
    await Promise.all(workers.map((x) => x.stop()));
  }
  const ids = new Set(orders.map((o) => o.body.id));
  const hooks = w.receiver
    .received()
    .filter((r) => ids.has((r.body as { data: { order: { id: string } } }).data.order.id));
  assert.equal(hooks.length, 40, 'no webhook was sent twice');
  assert.equal(new Set(hooks.map((r) => r.id)).size, 40);
  assert.equal(
    sentBy.reduce((a, b) => a + b, 0),
    40,
  );
  assert.ok(sentBy.filter((n) => n > 0).length >= 2, `the work was shared: ${sentBy.join(', ')}`);
});
