import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type autocannon from 'autocannon';
import { createApiKey } from '../../src/app/api-keys.js';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import { createWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { compose } from '../../src/main.js';
import { profileMarkdown, summariseProfiles, type ProfileSummary } from '../support/cpu-profile.js';
import { int, machineInfo, machineLine, ratio, table } from '../support/format.js';
import { ms } from '../support/http-latency.js';
import { seedAttemptId, seedOrderRows } from '../support/seed-orders.js';
import { freshBenchStore, storeVersion, type BenchStore } from '../support/store.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import type { DriverTrace } from '../support/trace-driver.js';
import { AMOUNT, callbackBatch, callbackBody, CURRENCY, SETTINGS } from './data.js';
import { runLoad, runPaced, type LoadResult } from './load.js';
import { measurePgbench, type PgbenchResult } from './pgbench.js';
import { measurePlainSqlite, type PlainSqliteResult } from './plain-sqlite.js';
import {
  AIM_HALF_RATE_P99_MS,
  AIM_LEVELS,
  AIM_SHARE_OF_PLAIN_SQLITE,
  AIM_SHARE_OF_TPCB_ROUTE,
  judgeAims,
} from './aims.js';
import { startServerProcess, type ServerProcess } from './server.js';

/** Connection counts, for Settle, pgbench and the bare route alike. */
const LEVELS = [1, 8, 64] as const;
/** Seconds each measured run aims at (callback runs send a fixed count sized from their warm-up's rate to last about this long). */
const SECONDS = 10;
/** Unmeasured seconds before each measured run, at the same connection count. */
const WARMUP_SECONDS = 2;
/** pgbench: scale and seconds per run. */
const PGBENCH_SCALE = 10;
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
  fixed number of callbacks (its ${WARMUP_SECONDS} s warm-up's rate × ${SECONDS} s), and is then checked: every order answered
  2xx is paid exactly once (attempt succeeded, order paid, one callback record, applied), no
  other order of the run is paid; **checked** says so.
- **orders + attempts/s**: per connection, \`POST /v1/orders\` (a new reference each time) then
  \`POST /v1/orders/:id/payments\` for that order, with a store API key, for ${SECONDS} s; the
  figure is completed pairs per second (each pair is three transactions: the order, the
  attempt, its next step). p50 and p99 are over both requests.
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
  Settle's around it. **÷ plain SQLite** is Settle's callbacks/s over its rate.
- Aims, kept in the bench only (\`bench/throughput/aims.ts\`), read at 8 and 64 connections:
  callbacks/s **≥ ${AIM_SHARE_OF_PLAIN_SQLITE}× plain SQLite** (SQLite) and **≥ ${AIM_SHARE_OF_TPCB_ROUTE}× the TPC-B route** (PostgreSQL);
  server CPU **≤ 0.5 ms per callback and ≤ 1 ms per order + attempt** on SQLite, **≤ 1 ms and
  ≤ 1.5 ms** on PostgreSQL; at 64 connections callback **p99 ≤ 5× p50**; at half the best callback
  rate **p99 under ${AIM_HALF_RATE_P99_MS.sqlite} ms** (SQLite) and **${AIM_HALF_RATE_P99_MS.postgres} ms** (PostgreSQL); every run's
  check passes (✔ met, ✘ not). pgbench stays in the tables as what the database itself does.
- What shares the machine: the two cores carry the Settle server process, autocannon (one
  process, the bench's) and, on PostgreSQL, the database server; pgbench's runs share them with
  the database server only. Settle's figures are therefore a lower bound on what a machine with
  the load generator elsewhere would see, and the bare route's and pgbench's ratios are
  comparisons on this shared footing. **server CPU/req** is the Settle process's CPU time per
  answer: where it nears (cores ÷ rate) the server is CPU-bound.`;

interface SettleRun {
  load: LoadResult;
  /** Settle server process CPU time per 2xx answer, ms. */
  serverCpuMs: number;
  check: string;
  checkOk: boolean;
  /** BENCH_PROFILE=1: the SQL the server ran during the run, timed at the driver. */
  trace: DriverTrace | null;
}

interface StoreResults {
  version: string;
  pgbenchVersion: string | null;
  pgbench: PgbenchResult[] | null;
  /** The TPC-B route (PostgreSQL only). */
  tpcb: LoadResult[] | null;
  /** Plain better-sqlite3 transactions of a callback's size (SQLite only). */
  plain: PlainSqliteResult | null;
  bare: LoadResult[];
  callbacks: SettleRun[];
  callbacksHalf: SettleRun;
  orders: SettleRun[];
  ordersHalf: SettleRun;
  profiles: { callbacks: ProfileSummary | null; orders: ProfileSummary | null };
  notes: string[];
}

/** A connection for the checks, beside the server's. */
class CheckDb {
  private constructor(
    private readonly pgClient: pg.Client | null,
    private readonly sqlite: SqliteDatabase.Database | null,
  ) {}
  static async open(store: BenchStore): Promise<CheckDb> {
    if (store.kind === 'sqlite') return new CheckDb(null, new SqliteDatabase(store.sqliteFile!, { readonly: true }));
    const c = new pg.Client({ connectionString: store.url });
    await c.connect();
    return new CheckDb(c, null);
  }
  async all<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (this.sqlite) return this.sqlite.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
    return (await this.pgClient!.query(sql, params)).rows as T[];
  }
  async close(): Promise<void> {
    this.sqlite?.close();
    await this.pgClient?.end();
  }
}

async function measureStore(ctx: SuiteContext): Promise<StoreResults> {
  const log = (m: string) => ctx.log(`[throughput ${ctx.store}] ${m}`);
  const quick = ctx.sizes?.[0] ?? null;
  const seconds = quick ? Math.max(1, Math.min(SECONDS, quick)) : SECONDS;
  const warmup = quick ? 1 : WARMUP_SECONDS;
  const notes: string[] = [];
  const load0 = loadavg()[0]!;
  const version = await storeVersion(ctx.store, process.env.DATABASE_URL ?? '');

  // 1. The bare route.
  const bareServer = await startServerProcess('bare');
  const bare: LoadResult[] = [];
  try {
    const body = callbackBody(0);
    const requests: autocannon.Request[] = [
      { method: 'POST', path: '/ping', headers: { 'content-type': 'application/json' }, body },
    ];
    for (const c of LEVELS) {
      await runLoad({ url: bareServer.url, connections: c, duration: 1, requests });
      const r = await runLoad({
        url: bareServer.url,
        connections: c,
        duration: quick ? seconds : BARE_SECONDS,
        requests,
      });
      log(`bare route, ${c} connections: ${int(r.rate)}/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`);
      bare.push(r);
    }
  } finally {
    await bareServer.close();
  }

  // 2. pgbench, on the same PostgreSQL.
  let pgbench: PgbenchResult[] | null = null;
  let pgbenchVersion: string | null = null;
  let tpcb: LoadResult[] | null = null;
  if (ctx.store === 'postgres') {
    // Then the TPC-B route, on pgbench's database before it is dropped.
    const also = async (url: string) => {
      const server = await startServerProcess('tpcb', { databaseUrl: url, tpcbScale: PGBENCH_SCALE });
      const out: LoadResult[] = [];
      try {
        const requests: autocannon.Request[] = [
          { method: 'POST', path: '/tpcb', headers: { 'content-type': 'application/json' }, body: callbackBody(0) },
        ];
        for (const c of LEVELS) {
          await runLoad({ url: server.url, connections: c, duration: 1, requests });
          const r = await runLoad({
            url: server.url,
            connections: c,
            duration: quick ? seconds : BARE_SECONDS,
            requests,
          });
          log(`TPC-B route, ${c} connections: ${int(r.rate)}/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`);
          out.push(r);
        }
      } finally {
        await server.close();
      }
      return out;
    };
    const r = await measurePgbench(process.env.DATABASE_URL!, {
      connections: LEVELS,
      seconds: quick ? seconds : PGBENCH_SECONDS,
      scale: PGBENCH_SCALE,
      log,
      also,
    });
    pgbench = r.results;
    pgbenchVersion = r.version;
    tpcb = r.also;
  }

  // 3. Settle: a fresh database with one payment method and a store API key; on SQLite, plain
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

    // Callbacks: orders are seeded as they are needed; `next` is the next unsent order.
    let seeded = 0;
    let next = 0;
    const ensureSeeded = async (upTo: number) => {
      if (upTo <= seeded) return;
      const from = seeded;
      await seedOrderRows(store, upTo - from, (f, t) => callbackBatch(methodId, from + f, from + t), {
        batchSize: 5000,
      });
      seeded = upTo;
    };
    const callbackRun = async (
      server: ServerProcess,
      c: number,
      o: { amount?: number; duration?: number; paced?: { rate: number; count: number } },
    ): Promise<SettleRun> => {
      const first = next;
      const answered = new Set<number>();
      const requests: autocannon.Request[] = [
        {
          method: 'POST',
          path: `/callbacks/${methodId}`,
          headers: { 'content-type': 'application/json' },
          setupRequest: (req, context) => {
            const i = next++;
            (context as { i: number }).i = i;
            return { ...req, body: callbackBody(i) };
          },
          onResponse: (status, _body, context) => {
            if (status >= 200 && status < 300) answered.add((context as { i: number }).i);
          },
        },
      ];
      await server.trace(true);
      const cpu0 = await server.cpuMs();
      const path = `/callbacks/${methodId}`;
      const load = o.paced
        ? await runPaced({
            url: server.url,
            maxConnections: c,
            ...o.paced,
            task: async (_k, request, due) => {
              const i = next++;
              const r = await request('POST', path, { 'content-type': 'application/json' }, callbackBody(i), due);
              if (r.status >= 200 && r.status < 300) answered.add(i);
            },
          })
        : await runLoad({ url: server.url, connections: c, requests, amount: o.amount, duration: o.duration });
      const cpu = (await server.cpuMs()) - cpu0;
      const trace = await server.trace(true);
      const verdict = await checkCallbacks(check!, first, next, seeded, answered);
      return { load, serverCpuMs: cpu / Math.max(1, load.ok2xx), ...verdict, trace };
    };

    const callbacks: SettleRun[] = [];
    let callbacksHalf: SettleRun;
    let server = await startSettle('callbacks');
    try {
      for (const c of LEVELS) {
        // Warm-up for `warmup` seconds on orders of its own; its rate sizes the measured run.
        await ensureSeeded(next + 30_000);
        const w = await callbackRun(server, c, { duration: warmup });
        if (next > seeded)
          notes.push(
            `The warm-up at ${c} connections ran out of seeded orders: its last requests named unknown orders.`,
          );
        const amount = Math.max(c * 20, Math.round(w.load.rate * seconds));
        await ensureSeeded(next + amount + c * 2);
        const r = await callbackRun(server, c, { amount });
        log(
          `callbacks, ${c} connections: ${int(r.load.rate)}/s, p50 ${ms(r.load.p50)}, p99 ${ms(r.load.p99)}, server CPU ${r.serverCpuMs.toFixed(2)} ms/callback; ${r.check}`,
        );
        callbacks.push(r);
      }
      const best = Math.max(...callbacks.map((r) => r.load.rate));
      const rate = Math.max(1, Math.round(best / 2));
      await ensureSeeded(next + rate * seconds + 200);
      callbacksHalf = await callbackRun(server, 64, { paced: { rate, count: rate * seconds } });
      log(
        `callbacks at half rate (${int(rate)}/s): ${int(callbacksHalf.load.rate)}/s, p50 ${ms(callbacksHalf.load.p50)}, p99 ${ms(callbacksHalf.load.p99)}; ${callbacksHalf.check}`,
      );
    } finally {
      await server.close();
    }

    // Orders + attempts.
    let refs = 0;
    const ordersRun = async (
      srv: ServerProcess,
      c: number,
      o: { duration: number; paced?: { rate: number; count: number } },
    ): Promise<SettleRun> => {
      const counts = { orders: 0, attempts: 0 };
      const tag = `run${randomBytes(3).toString('hex')}`;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${storeKey}` };
      const requests: autocannon.Request[] = [
        {
          method: 'POST',
          path: '/v1/orders',
          headers,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ reference: `Bench-${tag}-${refs++}`, currency: CURRENCY, amount: AMOUNT }),
          }),
          onResponse: (status, body, context) => {
            if (status === 201) {
              counts.orders += 1;
              (context as { orderId?: string }).orderId = (JSON.parse(body) as { id: string }).id;
            }
          },
        },
        {
          method: 'POST',
          headers,
          setupRequest: (req, context) => {
            const id = (context as { orderId?: string }).orderId;
            return id
              ? { ...req, path: `/v1/orders/${id}/payments`, body: JSON.stringify({ payment_method_id: methodId }) }
              : (undefined as unknown as autocannon.Request);
          },
          onResponse: (status) => {
            if (status === 201) counts.attempts += 1;
          },
        },
      ];
      await srv.trace(true);
      const cpu0 = await srv.cpuMs();
      const load = o.paced
        ? await runPaced({
            url: srv.url,
            maxConnections: c,
            ...o.paced,
            task: async (_k, request, due) => {
              const made = await request(
                'POST',
                '/v1/orders',
                headers,
                JSON.stringify({ reference: `Bench-${tag}-${refs++}`, currency: CURRENCY, amount: AMOUNT }),
                due,
              );
              if (made.status !== 201) return;
              counts.orders += 1;
              const id = (JSON.parse(made.body) as { id: string }).id;
              const paid = await request(
                'POST',
                `/v1/orders/${id}/payments`,
                headers,
                JSON.stringify({ payment_method_id: methodId }),
              );
              if (paid.status === 201) counts.attempts += 1;
            },
          })
        : await runLoad({ url: srv.url, connections: c, requests, duration: o.duration });
      const cpu = (await srv.cpuMs()) - cpu0;
      const trace = await srv.trace(true);
      const rows = await check!.all<{ orders: number | string; attempts: number | string }>(
        `select count(distinct o.id) as orders, count(a.id) as attempts from orders o left join payment_attempts a on a.order_id = o.id where o.reference like $1`,
        [`Bench-${tag}-%`],
      );
      const inDb = { orders: Number(rows[0]?.orders ?? 0), attempts: Number(rows[0]?.attempts ?? 0) };
      const checkOk =
        inDb.orders >= counts.orders &&
        inDb.attempts >= counts.attempts &&
        inDb.orders - counts.orders <= c &&
        inDb.attempts - counts.attempts <= c;
      const pairs = counts.attempts;
      const run: SettleRun = {
        // The rate of this case is pairs (an order and its attempt) per second.
        load: { ...load, rate: pairs / load.seconds },
        serverCpuMs: cpu / Math.max(1, pairs),
        trace,
        checkOk,
        check: `${int(counts.orders)} orders and ${int(counts.attempts)} attempts answered 201; in the database ${int(inDb.orders)} and ${int(inDb.attempts)}${checkOk ? '' : ' (mismatch)'}`,
      };
      return run;
    };
    const orders: SettleRun[] = [];
    let ordersHalf: SettleRun;
    server = await startSettle('orders');
    try {
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
        `orders + attempts at half rate (${int(rate)} pairs/s): ${int(ordersHalf.load.rate)} pairs/s, p50 ${ms(ordersHalf.load.p50)}, p99 ${ms(ordersHalf.load.p99)}`,
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
      pgbenchVersion,
      pgbench,
      tpcb,
      plain,
      bare,
      callbacks,
      callbacksHalf,
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

/**
 * After a callback run over orders [from, to): every order answered 2xx is paid exactly once,
 * and none of the others is (a request sent but never answered may have been applied: counted).
 */
async function checkCallbacks(
  db: CheckDb,
  from: number,
  to: number,
  seeded: number,
  answered: Set<number>,
): Promise<{ check: string; checkOk: boolean }> {
  const hi = Math.min(to, seeded);
  if (hi <= from) return { check: 'nothing sent', checkOk: answered.size === 0 };
  const lo = seedAttemptId(from);
  const up = seedAttemptId(hi - 1);
  const paid = await db.all<{
    id: string;
    status: string;
    payment_status: string;
    records: number | string;
    applied: number | string;
  }>(
    `select a.id, a.status, o.payment_status,
            (select count(*) from callbacks c where c.attempt_id = a.id) as records,
            (select count(*) from callbacks c where c.attempt_id = a.id and c.outcome = 'applied') as applied
       from payment_attempts a join orders o on o.id = a.order_id
      where a.id >= $1 and a.id <= $2 and (a.status <> 'pending' or o.payment_status <> 'pending')`,
    [lo, up],
  );
  const byIndex = new Map(paid.map((p) => [Number(p.id.replace('pa_bench', '')), p]));
  let missing = 0;
  let doubled = 0;
  let wrong = 0;
  let unanswered = 0;
  for (const i of answered) {
    const p = byIndex.get(i);
    if (!p || p.status !== 'succeeded') missing += 1;
    else if (Number(p.records) !== 1 || Number(p.applied) !== 1) doubled += 1;
    else if (p.payment_status !== 'paid') wrong += 1;
  }
  for (const [i, p] of byIndex) {
    if (answered.has(i)) continue;
    // Sent but not answered (an error or a timeout) may be applied; anything else is wrong.
    if (Number(p.records) === 1 && Number(p.applied) === 1 && p.status === 'succeeded') unanswered += 1;
    else wrong += 1;
  }
  const checkOk = missing === 0 && doubled === 0 && wrong === 0;
  const parts = [
    `${int(answered.size)} answered 2xx, ${int(answered.size - missing - doubled - wrong)} of them paid once`,
  ];
  if (missing) parts.push(`${missing} not paid`);
  if (doubled) parts.push(`${doubled} with more than one callback record`);
  if (wrong) parts.push(`${wrong} in an unexpected state`);
  if (unanswered) parts.push(`${unanswered} paid without an answer (error or timeout)`);
  return { check: parts.join('; '), checkOk };
}

const aimMark = (ok: boolean | null) => (ok === null ? '—' : ok ? '✔' : '✘');

function answers(r: LoadResult): string {
  const s = Object.entries(r.statuses)
    .map(([k, v]) => `${k} ×${int(v)}`)
    .join(', ');
  const extra = [r.errors ? `${int(r.errors)} errors` : '', r.timeouts ? `${int(r.timeouts)} timeouts` : ''].filter(
    Boolean,
  );
  return [s || 'none', ...extra].join(', ');
}

function render(res: StoreResults, store: 'sqlite' | 'postgres'): string {
  const out: string[] = [machineLine(machineInfo(), res.version), ''];
  const pgRef = (c: number) => res.pgbench?.find((p) => p.connections === c) ?? null;
  const bareRef = (c: number) => res.bare.find((b) => b.connections === c)!;
  const tpcbRef = (c: number) => res.tpcb?.find((b) => b.connections === c) ?? null;

  // Aims 1 and 3: plain SQLite is the reference on SQLite, the TPC-B route on PostgreSQL.
  const aimRef = (c: number) => (store === 'sqlite' ? (res.plain?.rate ?? null) : (tpcbRef(c)?.rate ?? null));
  const aimShare = store === 'sqlite' ? AIM_SHARE_OF_PLAIN_SQLITE : AIM_SHARE_OF_TPCB_ROUTE;
  const cbRows = res.callbacks.map((r) => {
    const c = r.load.connections;
    const p = pgRef(c);
    const ref = aimRef(c);
    const aim = ref !== null && AIM_LEVELS.includes(c) ? r.load.rate >= aimShare * ref && r.checkOk : null;
    return [
      String(c),
      int(r.load.rate),
      res.plain ? ratio(r.load.rate / res.plain.rate) : '—',
      p ? ratio(r.load.rate / p.tps) : '—',
      tpcbRef(c) ? ratio(r.load.rate / tpcbRef(c)!.rate) : '—',
      ratio(r.load.rate / bareRef(c).rate),
      ms(r.load.p50),
      ms(r.load.p99),
      `${r.serverCpuMs.toFixed(2)} ms`,
      answers(r.load),
      r.checkOk ? '✔' : '✘',
      aimMark(aim),
    ];
  });
  out.push(
    '**Verified callbacks applied per second**',
    '',
    table(
      [
        'connections',
        'callbacks/s',
        '÷ plain SQLite',
        '÷ pgbench TPS',
        '÷ TPC-B route',
        '÷ bare route',
        'p50',
        'p99',
        'server CPU/req',
        'answers',
        'checked',
        `≥ ${aimShare}× ${store === 'sqlite' ? 'plain SQLite' : 'TPC-B route'}`,
      ],
      cbRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
    ),
    '',
  );
  const orRows = res.orders.map((r) => {
    const c = r.load.connections;
    const p = pgRef(c);
    return [
      String(c),
      int(r.load.rate),
      p ? ratio(r.load.rate / p.tps) : '—',
      ratio(r.load.rate / bareRef(c).rate),
      ms(r.load.p50),
      ms(r.load.p99),
      `${r.serverCpuMs.toFixed(2)} ms`,
      answers(r.load),
      r.checkOk ? '✔' : '✘',
    ];
  });
  out.push(
    '**Orders plus payment attempts created per second**',
    '',
    table(
      [
        'connections',
        'orders + attempts/s',
        '÷ pgbench TPS',
        '÷ bare route',
        'p50',
        'p99',
        'server CPU/pair',
        'answers',
        'checked',
      ],
      orRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ),
    '',
  );
  const h = res.callbacksHalf;
  const oh = res.ordersHalf;
  out.push(
    '**At half the maximum rate** (paced evenly, up to 64 connections)',
    '',
    table(
      ['case', 'paced at', 'achieved', 'p50', 'p99', 'answers', 'checked', `p99 < ${AIM_HALF_RATE_P99_MS[store]} ms`],
      [
        [
          'callbacks',
          `${int(h.load.paced ?? Number.NaN)}/s`,
          `${int(h.load.rate)}/s`,
          ms(h.load.p50),
          ms(h.load.p99),
          answers(h.load),
          h.checkOk ? '✔' : '✘',
          aimMark(h.load.p99 < AIM_HALF_RATE_P99_MS[store] && h.checkOk),
        ],
        [
          'orders + attempts',
          `${int(oh.load.paced ?? Number.NaN)} pairs/s`,
          `${int(oh.load.rate)} pairs/s`,
          ms(oh.load.p50),
          ms(oh.load.p99),
          answers(oh.load),
          oh.checkOk ? '✔' : '✘',
          '—',
        ],
      ],
      ['l', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
    ),
    '',
  );
  const refRows = LEVELS.map((c) => {
    const p = pgRef(c);
    const b = bareRef(c);
    const t = tpcbRef(c);
    return [
      String(c),
      res.plain ? int(res.plain.rate) : '—',
      p ? int(p.tps) : '—',
      p ? `${p.latencyMs.toFixed(2)} ms` : '—',
      t ? int(t.rate) : '—',
      t && p ? ratio(t.rate / p.tps) : '—',
      t ? ms(t.p99) : '—',
      int(b.rate),
      ms(b.p50),
      ms(b.p99),
    ];
  });
  out.push(
    '**References** (same run, same machine)',
    '',
    table(
      [
        'connections',
        'plain SQLite tx/s',
        'pgbench TPS',
        'pgbench latency (avg)',
        'TPC-B route req/s',
        'TPC-B route ÷ pgbench',
        'TPC-B route p99',
        'bare route req/s',
        'bare p50',
        'bare p99',
      ],
      refRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  // The aims (bench/throughput/aims.ts).
  const asRun = (r: SettleRun) => ({
    connections: r.load.connections,
    rate: r.load.rate,
    p50: r.load.p50,
    p99: r.load.p99,
    cpuMs: r.serverCpuMs,
    checked: r.checkOk,
  });
  const verdicts = judgeAims({
    store,
    callbacks: res.callbacks.map(asRun),
    orders: res.orders.map(asRun),
    halfRateP99: h.checkOk ? h.load.p99 : Infinity,
    reference: aimRef,
  });
  const aims = verdicts.map((v) => `${v.aim}: **${v.met ? 'met' : 'not met'}**${v.seen ? ` (${v.seen})` : ''}`);
  if (!h.checkOk || !oh.checkOk) aims.push('a half-rate run’s check **failed**');
  out.push(`Aims: ${aims.join('; ')}.`, '');
  for (const n of res.notes) out.push(`> ${n}`, '');

  out.push(
    '<details><summary>Details: the runs’ checks' +
      (res.profiles.callbacks ? ' and CPU profiles of the server' : '') +
      '</summary>',
    '',
  );
  if (res.pgbenchVersion)
    out.push(
      `${res.pgbenchVersion}; scale ${PGBENCH_SCALE}. pgbench transactions: ${res.pgbench!.map((p) => `${p.connections} → ${int(p.transactions)}${p.failed ? ` (${p.failed} failed)` : ''}`).join(', ')}.`,
      '',
    );
  out.push(
    table(
      ['run', 'connections', 'seconds', 'check'],
      [
        ...res.callbacks.map((r) => ['callbacks', String(r.load.connections), r.load.seconds.toFixed(2), r.check]),
        ['callbacks, half rate', String(h.load.connections), h.load.seconds.toFixed(2), h.check],
        ...res.orders.map((r) => ['orders + attempts', String(r.load.connections), r.load.seconds.toFixed(2), r.check]),
        ['orders + attempts, half rate', String(oh.load.connections), oh.load.seconds.toFixed(2), oh.check],
      ],
      ['l', 'r', 'r', 'l'],
    ),
  );
  const sqlTable = (title: string, r: SettleRun, per: string) => {
    if (!r.trace) return;
    const n = Math.max(1, per === 'pair' ? r.load.rate * r.load.seconds : r.load.ok2xx);
    const rows = Object.entries(r.trace.statements)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 15)
      .map(([sql, st]) => [`\`${sql}\``, (st.calls / n).toFixed(2), ms(st.ms / st.calls), ms(st.ms / n)]);
    const total = Object.values(r.trace.statements).reduce((a, st) => a + st.ms, 0);
    out.push('', `##### SQL the server ran, ${title} (${r.load.connections} connections), timed at the driver`, '');
    out.push(table(['statement', `calls per ${per}`, 'time per call', `time per ${per}`], rows, ['l', 'r', 'r', 'r']));
    out.push(
      '',
      `All statements: ${ms(total / n)} per ${per} (${r.trace.prepare.calls ? `statements compiled: ${int(r.trace.prepare.calls)}, ${ms(r.trace.prepare.ms / n)} per ${per}` : 'no statement compiled on PostgreSQL'}). On PostgreSQL the time is the round trip, waits for locks and the pool included.`,
    );
  };
  for (const r of res.callbacks) sqlTable('callbacks', r, 'callback');
  for (const r of res.orders) sqlTable('orders + attempts', r, 'pair');
  if (res.profiles.callbacks) {
    out.push(
      '',
      '##### Server CPU profile, callback runs (warm-ups included)',
      '',
      profileMarkdown(res.profiles.callbacks, 15),
    );
  }
  if (res.profiles.orders) {
    out.push(
      '',
      '##### Server CPU profile, orders + attempts runs (warm-ups included)',
      '',
      profileMarkdown(res.profiles.orders, 15),
    );
  }
  out.push('', '</details>');
  return out.join('\n');
}

export const throughputSuite: Suite = {
  id: 'throughput',
  title: 'Callbacks and orders per second',
  about: ABOUT,
  async run(ctx) {
    return render(await measureStore(ctx), ctx.store);
  },
};
