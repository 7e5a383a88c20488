import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { SandboxDelivery } from '../../src/connectors/acquiring-v1/sandbox.js';
import { callbackHash } from '../../src/connectors/acquiring-v1/wire.js';
import { Secret } from '../../src/domain/secret.js';
import { isStorageDown } from '../../src/web/storage-down.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { sleep, waitFor } from '../support/async.js';
import { TEST_PRIVATE_KEY } from '../support/harness.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { startCluster, withServerOutput, type Cluster, type OpenOrder } from '../support/processes.js';

// PostgreSQL dies (pg_ctl stop -m immediate: no checkpoint, connections cut, as in a crash) in
// the middle of a burst of callbacks, stays down a few seconds, and comes back. While it is down
// Settle answers 503 with retry-after, at once, in the one error shape; the acquirer retries; Settle
// reconnects by itself (same process, no restart); every callback it acknowledged is applied
// exactly once, and the refused ones are applied when the acquirer retries them.
//
// The database here is a throwaway cluster of this test's own (test/support/pg-cluster.ts): the
// machine's shared PostgreSQL serves other tests and people and must never be stopped. Because
// the test never uses DATABASE_URL, it runs the same way in the SQLite and in the PostgreSQL run
// of the suite. It runs in both anyway rather than in one only: someone who runs only one of the
// two (most often the default SQLite run) still gets it, and it costs some 20 seconds. It needs
// PostgreSQL's server binaries and fails, not skips, without them (they are in CI).

const ORDERS = 60;
const STOP_AFTER_ACKS = 12;
const DOWN_MS = 3000;
/** How long one answer may take while the database is down (the pool's connect timeout is 5 s). */
// A bound against hangs (an answer held until the pool's connect timeout or longer), not a speed target.
const ANSWER_BOUND_MS = 10_000;
const PAY_EVERY_MS = 80;

let pg: PgCluster | undefined;
let c: Cluster | undefined;
before(async () => {
  pg = await startPgCluster();
  c = await startCluster({
    servers: 1,
    databaseUrl: pg.url(),
    // Enough tries with a short back-off to outlast the outage (tries at 0, .1, .3, .7, 1.5, 3.1,
    // 6.3, 12.7, 25.5, 51 s), and no more: a failure should not take minutes to show.
    sandbox: { retryAttempts: 10, retryBaseDelayMs: 100 },
    // The janitor and the outbox worker run often, so they too meet the outage and must survive it.
    env: {
      JANITOR_SCHEDULE: '*/2 * * * * *',
      OUTBOX_POLL_MS: '100',
      OUTBOX_RETRY_BASE_MS: '200',
      OUTBOX_RETRY_MAX_MS: '1000',
      OUTBOX_LEASE_MS: '3000',
    },
  });
});
after(async () => {
  // Settle first (it holds connections), then the cluster; each is safe if never started.
  await c?.close().catch(() => undefined);
  await pg?.destroy();
});

interface Probe {
  what: string;
  status: number | null;
  ms: number;
  retryAfter: string | null;
  body: unknown;
}

test('PostgreSQL stopped mid-burst: 503 with retry-after while down, recovery without a restart, no acknowledged callback lost', async (t) => {
  const cl = c!;
  const db = pg!;
  await withServerOutput(cl, async () => {
    // One more order than the burst pays: the probes below send its callbacks, so they touch no burst order.
    const all = await cl.openOrders(ORDERS + 1, 'DB');
    const orders = all.slice(0, ORDERS);
    const probeOrder = all[ORDERS]!;
    const sandbox = cl.sandbox.sandbox;
    const server = cl.servers[0]!;
    const firstPid = server.pid;
    const acked = () => sandbox.deliveries.filter((d) => d.acknowledged);

    let stoppedAt = 0;
    let ackedBeforeStop: SandboxDelivery[] = [];
    let startedAt = 0;
    const probes: Probe[] = [];
    const readyWhileDown: number[] = [];
    const healthWhileDown: number[] = [];
    const outage = (async () => {
      await waitFor(`${STOP_AFTER_ACKS} acknowledged callbacks`, () => acked().length >= STOP_AFTER_ACKS, 30_000, 1);
      await db.stop('immediate');
      stoppedAt = Date.now();
      ackedBeforeStop = acked();
      // While it is down, ask Settle directly: a signed callback and an API read, timed.
      while (Date.now() - stoppedAt < DOWN_MS) {
        probes.push(await probeCallback(cl, probeOrder), await probeApi(cl, probeOrder));
        readyWhileDown.push((await fetch(`${cl.servers[0]!.url}/ready`)).status);
        healthWhileDown.push((await fetch(`${cl.servers[0]!.url}/health`)).status);
        await sleep(200);
      }
      await db.start();
      startedAt = Date.now();
    })();
    outage.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled

    // Customers pay one after another, so first tries keep coming during the outage, besides retries.
    const pays: Promise<unknown>[] = [];
    for (const o of orders) {
      pays.push(sandbox.pay(cl.shopId, o.reference));
      await sleep(PAY_EVERY_MS);
    }
    await Promise.all([outage, ...pays]);
    await sandbox.idle();

    // The same process, never restarted, and it answers again.
    assert.equal(server.pid, firstPid, 'Settle was not restarted');
    assert.doesNotMatch(server.output(), /exited \(code/, 'the Settle process is still running');
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    // Liveness stays up (a restart would not help); readiness says the database is gone, then back.
    assert.deepEqual([...new Set(healthWhileDown)], [200], '/health while down');
    assert.deepEqual([...new Set(readyWhileDown)], [503], '/ready while down');
    assert.equal((await fetch(`${server.url}/ready`)).status, 200, '/ready after the restart');

    // While down: 503, in the error shape, with retry-after, at once.
    assert.ok(probes.length >= 4, `${probes.length} probes while down`);
    for (const p of probes) {
      assert.equal(p.status, 503, `${p.what} while down: ${p.status} ${JSON.stringify(p.body)}`);
      assert.equal(p.retryAfter, '1', `${p.what} carries retry-after`);
      // The one error shape (other fields, such as a request id, may come beside it).
      const b = p.body as Record<string, unknown>;
      assert.deepEqual(
        [b.statusCode, b.code, b.error, typeof b.message],
        [503, 'storage_unavailable', 'Service Unavailable', 'string'],
        `${p.what}: ${JSON.stringify(b)}`,
      );
      assert.ok(p.ms < ANSWER_BOUND_MS, `${p.what} answered in ${p.ms} ms`);
    }

    const log = sandbox.deliveries.filter((d) => d.orderId !== probeOrder.reference);
    const refused = log.filter((d) => !d.acknowledged);
    const ackedTries = log.filter((d) => d.acknowledged);
    // Every try got an answer (none hung past the sandbox's 5 s timeout or found Settle gone),
    // and every answer was 200 or 503: no 500, no other 5xx.
    assert.deepEqual(
      log.filter((d) => d.httpStatus !== 200 && d.httpStatus !== 503),
      [],
    );
    assert.ok(refused.length > 0, 'some callbacks came while the database was down');
    // The 503s fall in the outage: from the stop (a try already in flight may fail) until the pool
    // has reconnected after the start (a few seconds on a loaded machine).
    for (const d of refused) {
      const at = Date.parse(d.at);
      assert.ok(
        at >= stoppedAt - 2000 && at <= startedAt + 5000,
        `a 503 at ${d.at}, outside the outage (${new Date(stoppedAt).toISOString()} .. ${new Date(startedAt).toISOString()})`,
      );
    }
    const refusedOrders = new Set(refused.map((d) => d.orderId));
    t.diagnostic(
      `${orders.length} callbacks (one per order), ${log.length} tries: ${ackedTries.length} acknowledged (200; ${ackedBeforeStop.length} before the stop), ${refused.length} refused with 503 over ${refusedOrders.size} orders; ` +
        `${probes.length} probes while down (all 503, slowest ${Math.max(...probes.map((p) => p.ms))} ms); ` +
        `down ${startedAt - stoppedAt} ms; up to ${Math.max(...log.map((d) => d.attempt))} tries per callback`,
    );

    const callbacks = await cl.store.storage.read.listCallbacks({ paymentMethodId: cl.paymentMethodId, limit: 10_000 });
    let applied = 0;
    for (const o of orders) {
      const tries = log.filter((d) => d.orderId === o.reference);
      const ackedN = tries.filter((d) => d.acknowledged).length;
      assert.ok(ackedN >= 1, `${o.reference} was acknowledged in the end (${tries.length} tries)`);
      const order = await cl.api(server, 'GET', `/v1/orders/${o.orderId}`);
      assert.deepEqual(
        [order.body.payment_status, order.body.status, order.body.payments.map((p: { status: string }) => p.status)],
        ['paid', 'processing', ['succeeded']],
        `order ${o.reference}`,
      );
      const timeline = await cl.api(server, 'GET', `/v1/orders/${o.orderId}/timeline`);
      assert.equal(
        timeline.body.data.filter((e: { kind: string }) => e.kind === 'payment.succeeded').length,
        1,
        `payment.succeeded events of ${o.reference}`,
      );
      const mine = callbacks.filter((cb) => cb.orderId === o.orderId);
      assert.equal(mine.filter((cb) => cb.outcome === 'applied').length, 1, `applied callbacks of ${o.reference}`);
      applied++;
      // Each acknowledged try was committed before its answer; a refused try may have committed
      // too (the connection died between the commit and its answer), never more than were sent.
      const recorded = mine.filter((cb) => cb.outcome === 'applied' || cb.outcome === 'duplicate').length;
      assert.ok(
        recorded >= ackedN && mine.length <= tries.length,
        `${o.reference}: ${tries.length} tries, ${ackedN} acknowledged, ${recorded} recorded`,
      );
    }
    assert.equal(applied, ORDERS);
    // Sharper for what was acknowledged before the stop: its commit survived the crash-like stop.
    assert.ok(ackedBeforeStop.length >= STOP_AFTER_ACKS);
    for (const d of ackedBeforeStop) {
      const order = orders.find((o) => o.reference === d.orderId)!;
      const before = callbacks.filter((cb) => cb.orderId === order.orderId && Date.parse(cb.receivedAt) < stoppedAt);
      assert.ok(
        before.some((cb) => cb.outcome === 'applied'),
        `${d.orderId} was acknowledged before the stop but its applied record is not from before it`,
      );
    }
    // The probe order's callbacks ("opened") were all refused, so nothing of it was recorded.
    assert.equal(callbacks.filter((cb) => cb.orderId === probeOrder.orderId).length, 0);

    // The outbox worker lived through it: every message the payments queued gets delivered.
    await waitFor(
      'the outbox to drain after the outage',
      async () => (await cl.store.storage.read.listOutbox({ status: 'pending', limit: 1 })).length === 0,
      30_000,
      200,
    );
    t.diagnostic(`${applied} applied exactly once; outbox drained`);
  });
});

test('a query and a transaction cut by the stop fail as storage-down (503), nothing crashes, and the same pool reconnects', async () => {
  const db = pg!;
  const storage = openStorage(db.url(), { poolSize: 4 });
  try {
    assert.equal(await storage.ping(), true);
    // In flight when the server dies: a transaction whose body waits on a second connection. Its
    // own connection sits checked out, idle in the transaction: pg emits 'error' on that client,
    // which nobody but open-storage's listener hears (unheard, it would end this process).
    const inTx = storage
      .transaction(() => sql`select pg_sleep(30)`.execute(storage.db))
      .then(
        () => assert.fail('the transaction survived the stop'),
        (e: Error & { code?: string }) => e,
      );
    const plain = sql`select pg_sleep(30)`.execute(storage.db).then(
      () => assert.fail('the query survived the stop'),
      (e: Error & { code?: string }) => e,
    );
    await sleep(300);
    await db.stop('immediate');
    const down = await sql`select 1`.execute(storage.db).then(
      () => assert.fail('a read while down succeeded'),
      (e: Error & { code?: string }) => e,
    );
    for (const [what, e] of [
      ['transaction', await inTx],
      ['query', await plain],
      ['read while down', down],
    ] as const) {
      assert.ok(isStorageDown(e), `${what}: ${e.code ?? ''} ${e.message} is not classified storage-down`);
    }
    await db.start();
    // The same pool, not reopened: broken clients were dropped, new ones connect.
    await waitFor('the pool to reconnect', () => storage.ping(), 10_000, 100);
    assert.deepEqual((await sql<{ n: number }>`select 1 as n`.execute(storage.db)).rows, [{ n: 1 }]);
  } finally {
    await storage.close();
  }
});

async function timed(what: string, req: () => Promise<Response>): Promise<Probe> {
  const t0 = Date.now();
  try {
    const res = await req();
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { what, status: res.status, ms: Date.now() - t0, retryAfter: res.headers.get('retry-after'), body };
  } catch (e) {
    return { what, status: null, ms: Date.now() - t0, retryAfter: null, body: String(e) };
  }
}

function probeCallback(cl: Cluster, o: OpenOrder): Promise<Probe> {
  const status = 'opened';
  const body = JSON.stringify({
    order_id: o.reference,
    status,
    hash: callbackHash(new Secret(TEST_PRIVATE_KEY), o.reference, status),
  });
  return timed('a signed callback', () =>
    fetch(`${cl.servers[0]!.url}/callbacks/${cl.paymentMethodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(ANSWER_BOUND_MS + 2000),
    }),
  );
}

function probeApi(cl: Cluster, o: OpenOrder): Promise<Probe> {
  return timed('GET /v1/orders/:id', () =>
    fetch(`${cl.servers[0]!.url}/v1/orders/${o.orderId}`, {
      headers: { authorization: `Bearer ${cl.storeKey}` },
      signal: AbortSignal.timeout(ANSWER_BOUND_MS + 2000),
    }),
  );
}
