import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApiKey } from '../../src/app/api-keys.js';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import { createWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { compose } from '../../src/main.js';
import { summariseProfiles } from '../support/cpu-profile.js';
import { int, machineInfo } from '../support/format.js';
import { ms } from '../support/http-latency.js';
import { freshBenchStore, storeVersion } from '../support/store.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import { AIM_HALF_RATE_P99_MS, AIM_SHARE_OF_PLAIN_SQLITE, AIM_SHARE_OF_TPCB_ROUTE } from './aims.js';
import { callbackRunner } from './callback-runs.js';
import { CheckDb } from './checks.js';
import { SETTINGS } from './data.js';
import { ordersRunner } from './order-runs.js';
import { fasterPlain, measurePlainSqlite, type PlainSqliteResult } from './plain-sqlite.js';
import { measureBareRoute, measurePgReferences } from './references.js';
import { render } from './render.js';
import {
  LEVELS,
  PGBENCH_SCALE,
  SCALE_OUT_LEVELS,
  type ScaleOutRun,
  type SettleRun,
  PROCESS_WARMUP_SECONDS,
  type StoreResults,
} from './results.js';
import { startServerProcess, type ServerProcess } from './server.js';

/** Seconds each measured run aims at (callback runs send a fixed count sized from their warm-up's rate to last about this long). */
const SECONDS = 10;
/** Unmeasured seconds before each measured run, at the same connection count. */
const WARMUP_SECONDS = 2;
/** pgbench: seconds per run. */
const PGBENCH_SECONDS = 10;
/** The bare route: seconds per run. */
const BARE_SECONDS = 5;

/** What the bench's webhook endpoint subscribes to (as bench/orders' does). */
const WEBHOOK_EVENTS = ['order.created', 'payment.succeeded'] as const;

/** The plain-SQLite reference: seconds. */
const PLAIN_SQLITE_SECONDS = 5;

const ABOUT = `Throughput over real HTTP at 1, 8 and 64 connections, measured by
[autocannon](https://github.com/mcollina/autocannon) against the real server (\`buildServer\` over
\`compose()\`, as \`settle serve\` builds it: default PostgreSQL pool of 10, logger off, no outbox
worker), which runs in a Node process of its own; autocannon runs in the bench's process.

- **callbacks/s**: the acquirer's signed \`executed\` webhook (\`POST /callbacks/:paymentMethodId\`,
  JSON signed md5(PrivKey;OrderID;status) as the acquiring-v1 sandbox signs it), each for a
  distinct order that has one open payment attempt (seeded straight into the database), each
  sent once. A callback is answered after its transaction commits: verify, lock the order, apply
  the event, write the attempt, the order, the timeline, the callback record and the webhook
  message for the shop's one webhook endpoint (subscribed to ${WEBHOOK_EVENTS.map((e) => `\`${e}\``).join(' and ')}; nothing
  delivers it during the bench). Each run sends a
  fixed number of callbacks (its ${WARMUP_SECONDS} s warm-up's rate × ${SECONDS} s; each server process
  first gets ${PROCESS_WARMUP_SECONDS} s at 8 connections, unmeasured, so the runs see its code compiled), and is then checked: every order answered
  2xx is paid exactly once (attempt succeeded, order paid, one callback record, applied), no
  other order of the run is paid; **checked** says so.
- **orders + attempts/s**: per connection, \`POST /v1/orders\` (a new reference each time) then
  \`POST /v1/orders/:id/payments\` for that order, with a store API key, for ${SECONDS} s; the
  figure is completed pairs per second (each pair is two transactions: the order, then the
  attempt with its next step, which acquiring-v1 builds without a call). p50 and p99 are over
  both requests.
- **p50 / p99**: latency of 2xx answers, from sending the request to reading the whole answer,
  as autocannon times it.
- References, measured in the same run on the same machine: **pgbench** (PostgreSQL only), its
  built-in TPC-B-like script on a scratch database beside the bench's on the same server
  (\`pgbench -i -s ${PGBENCH_SCALE}\`, then \`-c N -j min(N,2) -T ${PGBENCH_SECONDS}\`, tps without initial
  connection time), and the **bare route**, a Fastify server with one \`POST /ping\` route answering
  small JSON, in a process of its own, under the same autocannon at the same connection count
  for ${BARE_SECONDS} s, sending a callback-sized JSON body. **÷ pgbench** and **÷ bare route** are
  Settle's rate over theirs: compare ratios across machines, not rates.
- A third reference on PostgreSQL, the **TPC-B route**: pgbench's own transaction (the same seven
  statements on its database, at its scale), run per request by a Fastify route in Node over pg
  with a pool of 10, in a process of its own, under the same autocannon for ${BARE_SECONDS} s
  (\`bench/throughput/tpcb-route.ts\`). pgbench says what the database does; this route says how
  much of that a Node HTTP service with pg keeps on this machine for a transaction of that size,
  before any work of its own. **÷ TPC-B route** is Settle's rate over its rate.
- **half rate**: half the best callbacks/s (and half the best orders + attempts/s), sent evenly
  paced for ${SECONDS} s (open loop: callback k is due at k ÷ rate, on up to 64 keep-alive
  connections, node:http; latency counts from when a request was due, so waiting for a free
  connection counts). Not autocannon's \`overallRate\`: that sends each connection's share of a
  second in one burst at the start of the second. Its p99 is what the latency aim reads.
- On SQLite, the **plain SQLite** reference: better-sqlite3 alone in the bench's process, one
  update and four inserts of a callback's size per transaction, committed one by one (WAL,
  \`synchronous=FULL\`, prepared statements) on a fresh file beside the bench's, for
  ${PLAIN_SQLITE_SECONDS} s (\`bench/throughput/plain-sqlite.ts\`): one writer on this disk with nothing of
  Settle's around it. It runs once before and once after the callback runs; the faster run is the
  reference (the other in brackets), so a slow minute of the disk does not flatter Settle.
  **÷ plain SQLite** is Settle's callbacks/s over its rate.
- Aims, kept in the bench only (\`bench/throughput/aims.ts\`), read at 8 and 64 connections:
  callbacks/s **≥ ${AIM_SHARE_OF_PLAIN_SQLITE}× plain SQLite** (SQLite) and **≥ ${AIM_SHARE_OF_TPCB_ROUTE}× the TPC-B route** (PostgreSQL);
  server CPU **≤ 0.5 ms per callback and ≤ 1 ms per order + attempt** on SQLite, **≤ 1 ms and
  ≤ 1.5 ms** on PostgreSQL; at 64 connections callback **p99 ≤ 5× p50**; at half the best callback
  rate **p99 under ${AIM_HALF_RATE_P99_MS.sqlite} ms** (SQLite) and **${AIM_HALF_RATE_P99_MS.postgres} ms** (PostgreSQL); every run's
  check passes (✔ met, ✘ not). pgbench stays in the tables as what the database itself does.
- **Scale out** (PostgreSQL): the same callbacks through one and through two \`settle serve\`
  processes (each its own pool of 10) on the bench's database, at ${SCALE_OUT_LEVELS.join(' and ')} connections shared out
  between the processes (one autocannon per process, run together; latency over all answers),
  each run sized by its own warm-up and checked like the others. **server CPU/req** is both
  processes' CPU over all answers: what the second process costs per callback. On these two
  cores the processes share the cores with each other, PostgreSQL and autocannon, so the rate
  says whether a second process helps here; the CPU says what it costs anywhere.
- What shares the machine: the two cores carry the Settle server process, autocannon (one
  process, the bench's) and, on PostgreSQL, the database server; pgbench's runs share them with
  the database server only. Settle's figures are therefore a lower bound on what a machine with
  the load generator elsewhere would see, and the bare route's and pgbench's ratios are
  comparisons on this shared footing. **server CPU/req** is the Settle process's CPU time per
  answer: where it nears (cores ÷ rate) the server is CPU-bound.`;

/** A run's stalls in one phrase, for the log. */
const stallLine = (r: SettleRun) =>
  `event loop delay p99 ${ms(r.stalls.loopP99Ms)}, max ${ms(r.stalls.loopMaxMs)}; GC minor ${r.stalls.gc.minor.count} (longest ${ms(r.stalls.gc.minor.maxMs)}), major ${r.stalls.gc.major.count} (longest ${ms(r.stalls.gc.major.maxMs)})`;

async function measureStore(ctx: SuiteContext): Promise<StoreResults> {
  const log = (m: string) => ctx.log(`[throughput ${ctx.store}] ${m}`);
  const quick = ctx.sizes?.[0] ?? null;
  const seconds = quick ? Math.max(1, Math.min(SECONDS, quick)) : SECONDS;
  const warmup = quick ? 1 : WARMUP_SECONDS;
  const processWarmup = quick ? 2 : PROCESS_WARMUP_SECONDS;
  const notes: string[] = [];
  const load0 = loadavg()[0]!;
  const version = await storeVersion(ctx.store, process.env.DATABASE_URL ?? '');

  // 1. The references: the bare route, and on PostgreSQL pgbench and the TPC-B route.
  const bare = await measureBareRoute({ seconds: quick ? seconds : BARE_SECONDS, warmup: processWarmup, log });
  const pgRefs =
    ctx.store === 'postgres'
      ? await measurePgReferences({
          pgbenchSeconds: quick ? seconds : PGBENCH_SECONDS,
          routeSeconds: quick ? seconds : BARE_SECONDS,
          warmup: processWarmup,
          log,
        })
      : null;

  // 2. Settle: a fresh database with one payment method and a store API key; on SQLite, plain
  // transactions of a callback's size on a file beside it first.
  let plain: PlainSqliteResult | null = null;
  const store = await freshBenchStore();
  const masterKey = randomBytes(32);
  const profileRoot = ctx.profile ? mkdtempSync(join(tmpdir(), 'settle-bench-throughput-prof-')) : null;
  let check: CheckDb | null = null;
  try {
    const setup = compose(
      { databaseUrl: store.url, masterKey, publicUrl: 'http://127.0.0.1:9' },
      { storage: store.storage, fiscal: null },
    ).deps;
    const pm = await createPaymentMethod(setup, {
      name: 'Bench acquirer',
      connector: 'acquiring-v1',
      settings: SETTINGS,
    });
    if (!pm.ok) throw new Error(`payment method: ${pm.error.message}`);
    const methodId = pm.value.id;
    const storeKey = (await createApiKey(setup, { name: 'bench-store', scopes: ['store'] })).key;
    // A shop's webhook endpoint, so a payment queues its webhook as it would in a shop (nothing delivers it here).
    const ep = await createWebhookEndpoint(setup, { url: 'http://127.0.0.1:9/webhooks', events: [...WEBHOOK_EVENTS] });
    if (!ep.ok) throw new Error(`webhook endpoint: ${ep.error.message}`);
    await store.storage.close();
    check = await CheckDb.open(store);
    if (store.sqliteFile) {
      plain = measurePlainSqlite(dirname(store.sqliteFile), quick ? 1 : PLAIN_SQLITE_SECONDS);
      log(`plain SQLite: ${int(plain.rate)} transactions/s`);
    }

    const startSettle = (phase: string) =>
      startServerProcess('settle', {
        databaseUrl: store.url,
        masterKeyHex: masterKey.toString('hex'),
        cpuProfileDir: profileRoot ? join(profileRoot, phase) : undefined,
        trace: ctx.profile,
      });
    const cb = callbackRunner(store, check, methodId);
    const warmUp = async (servers: ServerProcess[]) => {
      await cb.ensureAhead(30_000);
      await cb.run(servers, 8, { duration: processWarmup });
    };
    const measured = async (servers: ServerProcess[], c: number, what: string) => {
      const { run, ranOut } = await cb.measured(servers, c, warmup, seconds);
      if (ranOut) notes.push(`The warm-up of ${what} at ${c} connections ran out of seeded orders.`);
      log(
        `${what}, ${c} connections: ${int(run.load.rate)}/s, p50 ${ms(run.load.p50)}, p99 ${ms(run.load.p99)}, server CPU ${run.serverCpuMs.toFixed(2)} ms/callback; ${run.check}`,
      );
      return run;
    };

    // Callbacks, then at half the best rate, on one server process.
    const callbacks: SettleRun[] = [];
    let callbacksHalf: SettleRun;
    let server = await startSettle('callbacks');
    try {
      await warmUp([server]);
      for (const c of LEVELS) callbacks.push(await measured([server], c, 'callbacks'));
      const rate = Math.max(1, Math.round(Math.max(...callbacks.map((r) => r.load.rate)) / 2));
      await cb.ensureAhead(rate * seconds + 200);
      callbacksHalf = await cb.run([server], 64, { paced: { rate, count: rate * seconds } });
      log(
        `callbacks at half rate (${int(rate)}/s): ${int(callbacksHalf.load.rate)}/s, p50 ${ms(callbacksHalf.load.p50)}, p99 ${ms(callbacksHalf.load.p99)}; ${stallLine(callbacksHalf)}; ${callbacksHalf.check}`,
      );
    } finally {
      await server.close();
    }
    // The disk's speed moves from minute to minute: the reference is measured again after the
    // callback runs, and the faster of its two runs is what they are compared with.
    if (plain && store.sqliteFile) {
      const again = measurePlainSqlite(dirname(store.sqliteFile), quick ? 1 : PLAIN_SQLITE_SECONDS);
      log(`plain SQLite, again after the callbacks: ${int(again.rate)} transactions/s`);
      plain = fasterPlain(plain, again);
    }

    // Aim 5, PostgreSQL: the same callbacks through one and through two server processes,
    // started afresh together, so the one-process figure is measured beside the two-process one.
    let scaleOut: ScaleOutRun[] | null = null;
    if (ctx.store === 'postgres') {
      scaleOut = [];
      const servers = [await startSettle('scale-out-1'), await startSettle('scale-out-2')];
      try {
        await warmUp(servers);
        for (const c of SCALE_OUT_LEVELS)
          for (const n of [1, 2])
            scaleOut.push({
              processes: n,
              ...(await measured(servers.slice(0, n), c, `callbacks, ${n} process${n > 1 ? 'es' : ''}`)),
            });
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    }

    // Orders + attempts.
    const ordersRun = ordersRunner(check, methodId, storeKey);
    const orders: SettleRun[] = [];
    let ordersHalf: SettleRun;
    server = await startSettle('orders');
    try {
      await ordersRun(server, 8, { duration: processWarmup });
      for (const c of LEVELS) {
        await ordersRun(server, c, { duration: warmup });
        const r = await ordersRun(server, c, { duration: seconds });
        log(
          `orders + attempts, ${c} connections: ${int(r.load.rate)} pairs/s, p50 ${ms(r.load.p50)}, p99 ${ms(r.load.p99)}, server CPU ${r.serverCpuMs.toFixed(2)} ms/pair; ${r.check}`,
        );
        orders.push(r);
      }
      // Paced by pairs: an order, then its attempt.
      const rate = Math.max(1, Math.round(Math.max(...orders.map((r) => r.load.rate)) / 2));
      ordersHalf = await ordersRun(server, 64, { duration: seconds, paced: { rate, count: rate * seconds } });
      log(
        `orders + attempts at half rate (${int(rate)} pairs/s): ${int(ordersHalf.load.rate)} pairs/s, p50 ${ms(ordersHalf.load.p50)}, p99 ${ms(ordersHalf.load.p99)}; ${stallLine(ordersHalf)}`,
      );
    } finally {
      await server.close();
    }

    const profiles = {
      callbacks: profileRoot ? summariseProfiles(join(profileRoot, 'callbacks')) : null,
      orders: profileRoot ? summariseProfiles(join(profileRoot, 'orders')) : null,
    };
    // Other work on the machine takes cores from every figure here alike: say how busy it was.
    notes.push(
      `Machine load (1-minute load average, ${machineInfo().cpu.split(' × ')[1]} cores): ${load0.toFixed(2)} when this store's run began, ${loadavg()[0]!.toFixed(2)} when it ended (the bench's own processes included).`,
    );
    return {
      version,
      pgbenchVersion: pgRefs?.pgbenchVersion ?? null,
      pgbench: pgRefs?.pgbench ?? null,
      tpcb: pgRefs?.tpcb ?? null,
      plain,
      bare,
      callbacks,
      callbacksHalf,
      scaleOut,
      orders,
      ordersHalf,
      profiles,
      notes,
    };
  } finally {
    await check?.close().catch(() => undefined);
    await store.drop();
    // BENCH_KEEP_PROFILES=1 leaves the .cpuprofile files (for a closer look in a profiler).
    if (profileRoot && process.env.BENCH_KEEP_PROFILES !== '1') rmSync(profileRoot, { recursive: true, force: true });
    else if (profileRoot) log(`CPU profiles kept in ${profileRoot}`);
  }
}

export const throughputSuite: Suite = {
  id: 'throughput',
  title: 'Callbacks and orders per second',
  about: ABOUT,
  async run(ctx) {
    return render(await measureStore(ctx), ctx.store);
  },
};
