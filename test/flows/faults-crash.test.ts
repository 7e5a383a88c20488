import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SandboxDelivery } from '../../src/connectors/acquiring-v1/sandbox.js';
import { sleep, waitFor } from '../support/async.js';
import { startCluster, withServerOutput, type Cluster } from '../support/processes.js';

// A Settle process is SIGKILLed in the middle of a burst of callbacks and started again. Settle
// answers a callback only after its commit, so whatever the acquirer saw acknowledged must be
// in the database; what it saw fail it retries, and the retry must apply it exactly once.

const ORDERS = 40;
const KILL_AFTER_ACKS = 10;

let c: Cluster;
before(async () => {
  // Enough tries with a short back-off to outlast the outage (the restart takes a second or two).
  c = await startCluster({ servers: 1, sandbox: { retryAttempts: 12, retryBaseDelayMs: 100 } });
});
after(async () => {
  await c?.close();
});

test('a SIGKILL mid-burst loses no acknowledged callback, and the retries apply the rest exactly once', async (t) => {
  await withServerOutput(c, async () => {
    const orders = await c.openOrders(ORDERS, 'CR');
    const sandbox = c.sandbox.sandbox;
    const server = c.servers[0]!;
    const acked = () => sandbox.deliveries.filter((d) => d.acknowledged);

    let ackedBeforeCrash: SandboxDelivery[] = [];
    let killedAt = 0;
    const firstPid = server.pid;
    const crash = (async () => {
      await waitFor(`${KILL_AFTER_ACKS} acknowledged callbacks`, () => acked().length >= KILL_AFTER_ACKS, 20_000, 1);
      await server.kill();
      killedAt = Date.now();
      ackedBeforeCrash = acked();
      await sleep(300);
      await server.restart();
    })();
    crash.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    // Customers pay a few at a time, so the burst is still going when the process dies.
    const pays: Promise<unknown>[] = [];
    for (let i = 0; i < ORDERS; i += 4) {
      for (const o of orders.slice(i, i + 4)) pays.push(sandbox.pay(c.shopId, o.reference));
      await sleep(40);
    }
    await Promise.all([crash, ...pays]);
    await sandbox.idle();

    assert.notEqual(server.pid, firstPid, 'the process was restarted');
    assert.ok(ackedBeforeCrash.length >= KILL_AFTER_ACKS);
    const log = sandbox.deliveries;
    const failed = log.filter((d) => !d.acknowledged);
    assert.ok(failed.length > 0, 'some deliveries failed during the outage');
    t.diagnostic(
      `${ackedBeforeCrash.length} acknowledged before the kill, ${failed.length} failed tries, up to ${Math.max(...log.map((d) => d.attempt))} tries per callback`,
    );
    // Down is a refused or reset connection, never a 5xx (or any other non-200) from Settle.
    assert.deepEqual(
      log.filter((d) => d.httpStatus !== null && d.httpStatus !== 200),
      [],
    );

    const callbacks = await c.store.storage.read.listCallbacks({ paymentMethodId: c.paymentMethodId, limit: 10_000 });
    for (const o of orders) {
      const tries = log.filter((d) => d.orderId === o.reference);
      const ackedTries = tries.filter((d) => d.acknowledged).length;
      assert.ok(ackedTries >= 1, `${o.reference} was acknowledged in the end`);
      const order = await c.api(server, 'GET', `/v1/orders/${o.orderId}`);
      assert.deepEqual(
        [order.body.payment_status, order.body.status, order.body.payments.map((p: { status: string }) => p.status)],
        ['paid', 'processing', ['succeeded']],
        `order ${o.reference}`,
      );
      const timeline = await c.api(server, 'GET', `/v1/orders/${o.orderId}/timeline`);
      assert.equal(
        timeline.body.data.filter((e: { kind: string }) => e.kind === 'payment.succeeded').length,
        1,
        `payment.succeeded events of ${o.reference}`,
      );
      const mine = callbacks.filter((cb) => cb.orderId === o.orderId);
      assert.equal(mine.filter((cb) => cb.outcome === 'applied').length, 1, `applied callbacks of ${o.reference}`);
      // Each acknowledged try was committed before its answer: it is in the log (a try that
      // failed may be there too, if the process died between the commit and the answer).
      const recorded = mine.filter((cb) => cb.outcome === 'applied' || cb.outcome === 'duplicate').length;
      assert.ok(
        recorded >= ackedTries && mine.length <= tries.length,
        `${o.reference}: ${tries.length} tries, ${ackedTries} acknowledged, ${recorded} recorded`,
      );
    }
    // Sharper for what the killed process acknowledged: the record it committed first survived.
    for (const d of ackedBeforeCrash) {
      const order = orders.find((o) => o.reference === d.orderId)!;
      const before = callbacks.filter((cb) => cb.orderId === order.orderId && Date.parse(cb.receivedAt) < killedAt);
      assert.ok(before.length >= 1, `${d.orderId} was acknowledged before the kill but has no record from before it`);
    }
  });
});
