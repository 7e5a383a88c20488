// The outbox worker as a real process, SIGKILLed while it is delivering: after a restart every
// mail and webhook arrives exactly once (by id), the receipt is issued once, nothing is lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../support/async.js';
import { paidOrder, startWorld, type World } from '../support/after-payment.js';
import { spawnSettle, type SettleProcess } from '../support/processes.js';

let w: World;
let worker: SettleProcess | undefined;
before(async () => {
  // No in-process delivery here: the worker process does it all.
  w = await startWorld();
});
after(async () => {
  await worker?.stop();
  await w.close();
});

test('a worker killed mid-delivery and restarted delivers each mail and webhook exactly once', async () => {
  const { orderId, reference } = await paidOrder(w.h, { lines: true });
  const expectedHooks = [
    'order.created',
    'payment.succeeded',
    'review.approved',
    'order.status_changed',
    'receipt.issued',
  ];
  // Hold every answer, so the kill lands while deliveries are in flight.
  w.receiver.setSwitches({ holdMs: 1500 });
  w.inbox.setSwitches({ holdMs: 1500 });
  w.fiscal.sandbox.setSwitches({ delayMs: 1500 });
  const env = {
    DATABASE_URL: w.h.store.url,
    SETTLE_MASTER_KEY: w.h.masterKey.toString('hex'),
    SMTP_URL: w.inbox.url,
    FISCAL_URL: w.fiscal.url,
    OUTBOX_POLL_MS: '50',
    OUTBOX_LEASE_MS: '2000',
    OUTBOX_RETRY_BASE_MS: '200',
    LOG_LEVEL: 'info',
  };
  worker = await spawnSettle('worker', 0, env, 'worker');
  await waitFor(
    'a webhook and the receipt are in flight',
    () => w.receiver.received().length > 0 && w.fiscal.sandbox.requests() > 0,
    10_000,
  );
  await worker.kill();
  const inFlight = w.receiver.received().length;

  w.receiver.setSwitches({ holdMs: 0 });
  w.inbox.setSwitches({ holdMs: 0 });
  w.fiscal.sandbox.setSwitches({});
  await worker.restart();
  await waitFor(
    'everything is delivered',
    async () => (await w.h.store.storage.read.listOutbox({ orderId, status: 'pending', limit: 1 })).length === 0,
    20_000,
    100,
  ).catch((e) => assert.fail(`${(e as Error).message}\n${worker!.output()}`));

  const hooks = w.receiver.received();
  const byType = new Map<string, Set<string>>();
  for (const r of hooks) byType.set(r.type!, (byType.get(r.type!) ?? new Set()).add(r.id));
  assert.deepEqual([...byType.keys()].sort(), [...expectedHooks].sort());
  for (const [type, ids] of byType) assert.equal(ids.size, 1, `${type} has one webhook-id however often it arrived`);
  assert.ok(hooks.length > inFlight && hooks.every((r) => r.verified));
  assert.ok(hooks.length >= expectedHooks.length + 1, 'the one in flight at the kill was sent again, with the same id');

  const mails = w.inbox.messages().filter((m) => m.subject.includes(reference));
  assert.deepEqual(
    mails.map((m) => m.subject).sort(),
    [
      `New order ${reference} awaiting payment`,
      `Order ${reference} is paid and processed`,
      `Payment received for order ${reference}`,
    ].sort(),
  );
  assert.equal(w.fiscal.sandbox.receipts().length, 1, 'the fiscal service deduplicated the resent receipt');
  const o = (await w.h.api('GET', `/v1/orders/${orderId}`)).body;
  assert.equal(o.fiscal_status, 'issued');
  assert.equal(o.sync[0].status, 'synced');
});
