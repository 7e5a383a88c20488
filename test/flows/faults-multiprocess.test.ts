import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mapLimit, shuffle } from '../support/async.js';
import { startCluster, withServerOutput, type Cluster } from '../support/processes.js';

// Three `settle serve` processes share one database (PostgreSQL when DATABASE_URL is set, else
// a SQLite file: WAL + BEGIN IMMEDIATE + busy_timeout). The order lock must hold across
// processes, not only inside one: each order's payment is applied exactly once.

const SERVERS = 3;
const ORDERS = 50;
const REPEATS = 20;
const IN_FLIGHT = 32;

let c: Cluster;
before(async () => {
  // An acquirer waits a while for an answer (15 s here, as real ones do): a callback queued
  // behind SQLite's write lock on a loaded 2-core machine must not count as unanswered.
  c = await startCluster({ servers: SERVERS, sandbox: { deliveryTimeoutMs: 15_000 } });
});
after(async () => {
  await c?.close();
});

const countBy = <T>(items: readonly T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

test(`${ORDERS} orders × ${REPEATS} "executed" callbacks, shuffled over ${SERVERS} servers on one database, apply once per order`, async () => {
  await withServerOutput(c, async () => {
    const orders = await c.openOrders(ORDERS, 'MP');
    const sandbox = c.sandbox.sandbox;

    // Each callback goes to one of the three servers' callback URLs, picked at random.
    const jobs = shuffle(orders.flatMap((o) => Array.from({ length: REPEATS }, () => o)));
    const { results: answers, maxInFlight } = await mapLimit(jobs, IN_FLIGHT, (o) =>
      sandbox.sendCallback(c.shopId, o.reference, 'executed'),
    );
    assert.equal(maxInFlight, IN_FLIGHT, 'the callbacks really ran concurrently');
    // No 5xx (nor a timeout or reset): a lock wait is never an error the acquirer sees.
    assert.deepEqual(countBy(answers, String), { 200: ORDERS * REPEATS });

    // Every server took its share, so the races were across processes.
    const byUrl = countBy(sandbox.deliveries, (d) => new URL(d.url).port);
    assert.deepEqual(Object.keys(byUrl).sort(), c.servers.map((s) => String(s.port)).sort());
    for (const [port, n] of Object.entries(byUrl))
      assert.ok(n >= (ORDERS * REPEATS) / SERVERS / 2, `server :${port} got only ${n}`);

    const log = await c.store.storage.read.listCallbacks({
      paymentMethodId: c.paymentMethodId,
      limit: ORDERS * REPEATS * 2,
    });
    assert.equal(log.length, ORDERS * REPEATS);
    for (const [i, o] of orders.entries()) {
      const server = c.servers[i % SERVERS]!;
      const order = await c.api(server, 'GET', `/v1/orders/${o.orderId}`);
      assert.equal(order.status, 200);
      assert.deepEqual(
        [order.body.payment_status, order.body.status, order.body.payments.map((p: { status: string }) => p.status)],
        ['paid', 'processing', ['succeeded']],
        `order ${o.reference}`,
      );
      const timeline = await c.api(server, 'GET', `/v1/orders/${o.orderId}/timeline`);
      const paidEvents = timeline.body.data.filter((e: { kind: string }) => e.kind === 'payment.succeeded');
      assert.equal(paidEvents.length, 1, `payment.succeeded events of ${o.reference}`);
      const mine = log.filter((cb) => cb.orderId === o.orderId);
      assert.deepEqual(
        countBy(mine, (cb) => cb.outcome),
        { applied: 1, duplicate: REPEATS - 1 },
        `callback log of ${o.reference}`,
      );
    }
  });
});
