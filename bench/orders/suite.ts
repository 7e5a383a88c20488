import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { createApiKey } from '../../src/app/api-keys.js';
import type { AppDeps } from '../../src/app/deps.js';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import { listOrders, type OrderFilters } from '../../src/app/queries/index.js';
import { createUser } from '../../src/app/users.js';
import { createWebhookEndpoint } from '../../src/app/webhook-endpoints.js';
import { buildServer } from '../../src/server.js';
import { compose } from '../../src/main.js';
import { repository } from '../../src/storage/repository.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Database } from '../../src/storage/schema.js';
import { int, machineInfo, machineLine, ratio, secs, table } from '../support/format.js';
import { BenchClient, measureLatency, ms, quantile, type Answer, type LatencyResult } from '../support/http-latency.js';
import { freshBenchStore, storeVersion, type BenchStore } from '../support/store.js';
import type { Suite, SuiteContext } from '../support/suite.js';
import {
  day,
  DAYS,
  FIRST_DAY,
  orderId,
  reference,
  seedOrderSet,
  SYNC_FAILED,
  trackCounts,
  tracksOf,
  createdAt,
  syncFailed,
  PROFILES,
} from './data.js';

const SIZES = [1_000_000];
/** Requests before measuring (connection, caches, JIT), then requests measured, per case. */
const WARMUP = 20;
const COUNT = 200;
/** The page size the API is asked for: its default, and the admin list's. */
const LIMIT = 50;
/** The day the one-day filter asks for: the middle of the data set. */
const ONE_DAY = day(Math.floor(DAYS / 2));

/** The target, kept here and nowhere else (never in tests): every case's median latency under this. */
const TARGET_MEDIAN_MS = 20;

const ABOUT = `The order list and the order page at a million orders, over real HTTP, for the REST API
(\`GET /v1/orders\`, \`GET /v1/orders/:id\`) and the admin pages (\`GET /admin/orders\`,
\`GET /admin/orders/:id\`). Each size gets a fresh database seeded straight with that many
orders (bench/orders/data.ts): spread evenly over ${DAYS} days from ${FIRST_DAY}; statuses on every
track mixed with a shop's skewed frequencies (mostly completed, paid and delivered, some pending
payment, a few on hold, canceled or refunded, review pending and fiscal failed rare); one payment
attempt each, 95% through one payment method and 5% through a second; one delivered webhook
message each, and ${SYNC_FAILED} orders whose webhook was given up (\`sync=failed\`). After seeding, both
stores are analysed (\`ANALYZE\`), so the planners have statistics: PostgreSQL's autovacuum keeps
them on a live server. **Settle itself never runs ANALYZE on SQLite**, so a SQLite file has
statistics only if its operator runs \`ANALYZE\` (or \`PRAGMA optimize\`); the details therefore
also show each list query's plan and time on SQLite before \`ANALYZE\`.

The real server (\`buildServer\` over \`compose()\`, logger off) listens on 127.0.0.1; the API is
called with an admin API key and the admin pages with the session of a signed-in admin (sign-in
form, CSRF token and all). Requests go one at a time over one keep-alive connection (node:http),
from the same process as the server: ${WARMUP} unmeasured, then ${COUNT} measured per case, each from
sending the request to reading the whole body. Cases that read one order ask for a different
random order each time.

How to read the table:

- **bare route** is the reference, measured in the same run with the same client: a Fastify
  server with one route answering a small JSON body, on 127.0.0.1, nothing else. It runs before
  and after the cases; the faster run is the reference. **÷ bare route** is a case's median over
  the reference's median, so a slower or faster machine moves both: compare ratios across
  machines, not milliseconds.
- **median** and **p95** are over the ${COUNT} measured requests (p95 by nearest rank).
- **answer** is the status code of the answers and what the last one held: how many orders a
  list page listed (a list that finds nothing is fast for the wrong reason), and for the API's
  lists whether every order on it matched the filter (the admin pages' rows are only counted).
  **matching** is how many of the seeded orders the filter
  selects.
- Target, kept in the bench only, never in the tests: **median under ${TARGET_MEDIAN_MS} ms for every
  case** (✔ met, ✘ not met; an answer other than 200 is not met, whatever its time).
- The details give the data set's make-up and, for each list case, the SQL \`listOrders\`
  (src/storage/repos/orders.ts) sends, its plan (SQLite: \`EXPLAIN QUERY PLAN\`; PostgreSQL:
  \`EXPLAIN (ANALYZE, BUFFERS)\`) and the storage call's own median time without HTTP.`;

type Group = 'API' | 'admin';

interface CaseSpec {
  group: Group;
  name: string;
  path: (k: number) => string;
  headers: Record<string, string>;
  /** For the list cases: the filters the app's listOrders gets, to explain its query. */
  list?: OrderFilters & { cursor?: string };
  /** Whether seeded order i matches the filter (for the "matching" column), and checks an answer's order. */
  matches?: (i: number) => boolean;
  check?: (o: Record<string, unknown>) => boolean;
  inspect?: (a: Answer) => string;
}

interface CaseResult {
  group: Group | 'reference';
  name: string;
  request: string;
  r: LatencyResult;
  matching: number | null;
}

interface PlanResult {
  name: string;
  sql: string;
  params: readonly unknown[];
  plan: string[];
  storageMs: number;
}

interface SizeResult {
  n: number;
  seedMs: number;
  reference: LatencyResult;
  referenceOther: LatencyResult;
  cases: CaseResult[];
  plans: PlanResult[];
  plansWithoutStats: PlanResult[] | null;
  counts: Record<string, Record<string, number>>;
  orderPageNote: string;
}

/** A small deterministic random sequence (mulberry32), for the orders the point cases ask for. */
function randomOrders(n: number, seed: number): (k: number) => number {
  const picks: number[] = [];
  let s = seed >>> 0;
  for (let k = 0; k < WARMUP + COUNT; k++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    picks.push(Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n));
  }
  return (k) => picks[k % picks.length]!;
}

const qs = (f: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => e[1] !== undefined)).toString();

function apiListInspect(check?: (o: Record<string, unknown>) => boolean): (a: Answer) => string {
  return (a) => {
    if (a.status !== 200) return a.body.slice(0, 120);
    const body = JSON.parse(a.body) as { data: Record<string, unknown>[]; next_cursor: string | null };
    const bad = check ? body.data.filter((o) => !check(o)).length : 0;
    return `${body.data.length} orders${check ? (bad === 0 ? ', all match' : `, ${bad} do not match`) : ''}`;
  };
}

function adminListInspect(a: Answer): string {
  if (a.status !== 200)
    return `${a.status === 404 ? 'not found' : 'answer'}: ${a.body
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80)}`;
  return `${(a.body.match(/data-testid="order-row"/g) ?? []).length} orders`;
}

function pageInspect(a: Answer): string {
  if (a.status === 200) return `${Math.round(a.body.length / 1024)} KB`;
  return `${a.status === 404 ? 'not found' : 'answer'}: ${a.body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)}`;
}

/** A cookie jar of one browser, enough for the sign-in form. */
async function signIn(client: BenchClient, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (a: Answer) => {
    for (const c of [a.headers['set-cookie'] ?? []].flat()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  };
  const jar = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await client.request('GET', '/admin/sign-in');
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!csrf) throw new Error(`sign-in page: no CSRF token (${form.status})`);
  const posted = await client.request('POST', '/admin/sign-in', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar() },
    body: new URLSearchParams({ _csrf: csrf, email, password, next: '/admin/orders' }).toString(),
  });
  keep(posted);
  if (posted.status !== 303 || !cookies.has('settle_session'))
    throw new Error(`sign-in: ${posted.status} ${posted.body.slice(0, 200)}`);
  return `settle_session=${cookies.get('settle_session')}`;
}

/** A bare Fastify server with one small JSON route: the reference. */
async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => ({ ok: true, service: 'bench' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}

/** Runs the app's listOrders (the same function the routes call) over a repository that records the SQL it sends. */
async function explainLists(store: BenchStore, specs: CaseSpec[]): Promise<PlanResult[]> {
  let last: CompiledQuery | null = null;
  const log = (e: { level: string; query: CompiledQuery }) => {
    if (e.level === 'query') last = e.query;
  };
  const sqlite = store.kind === 'sqlite' ? new SqliteDatabase(store.sqliteFile!, { readonly: true }) : null;
  const pool = sqlite ? null : new pg.Pool({ connectionString: store.url, max: 1 });
  const db = new Kysely<Database>({
    dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }),
    log,
  });
  const repo = repository(db, sqlite ? 'sqlite' : 'postgres');
  const deps = { storage: { read: repo } } as unknown as AppDeps;
  const out: PlanResult[] = [];
  try {
    for (const c of specs) {
      if (!c.list) continue;
      const times: number[] = [];
      for (let k = 0; k < 12; k++) {
        const t0 = performance.now();
        const r = await listOrders(deps, { ...c.list, limit: LIMIT });
        if (k >= 2) times.push(performance.now() - t0);
        if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
      }
      const q = last as CompiledQuery | null;
      if (!q) continue;
      let plan: string[];
      if (sqlite) {
        const rows = sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
          id: number;
          parent: number;
          detail: string;
        }[];
        const depth = new Map<number, number>([[0, -1]]);
        plan = rows.map((r) => {
          const d = (depth.get(r.parent) ?? -1) + 1;
          depth.set(r.id, d);
          return `${'  '.repeat(d)}${r.detail}`;
        });
      } else {
        const c2 = await pool!.connect();
        try {
          const r = await c2.query<{ 'QUERY PLAN': string }>(
            `explain (analyze, buffers, costs off) ${q.sql}`,
            q.parameters as unknown[],
          );
          plan = r.rows.map((x) => x['QUERY PLAN']);
        } finally {
          c2.release();
        }
      }
      out.push({
        name: c.name,
        sql: q.sql,
        params: q.parameters,
        plan,
        storageMs: quantile(
          [...times].sort((a, b) => a - b),
          0.5,
        ),
      });
    }
  } finally {
    await db.destroy();
  }
  return out;
}

async function measureSize(ctx: SuiteContext, n: number): Promise<SizeResult> {
  const log = (m: string) => ctx.log(`[orders ${ctx.store} ${int(n)}] ${m}`);
  const store = await freshBenchStore();
  const masterKey = randomBytes(32);
  const closers: (() => Promise<unknown> | void)[] = [];
  try {
    // The configuration a shop would have: two payment methods and one webhook endpoint.
    const setupDeps = compose(
      { databaseUrl: store.url, masterKey, publicUrl: 'http://127.0.0.1:9' },
      { storage: store.storage, fiscal: null },
    ).deps;
    const method = async (name: string, shop: string) => {
      const pm = await createPaymentMethod(setupDeps, {
        name,
        connector: 'acquiring-v1',
        // Nothing calls the acquirer here; the URLs only have to be valid.
        settings: {
          shop_id: shop,
          private_key: `${shop}-private-key`,
          payment_page_url: 'http://127.0.0.1:9/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
          api_base_url: 'http://127.0.0.1:9',
        },
      });
      if (!pm.ok) throw new Error(`payment method: ${pm.error.message}`);
      return pm.value.id;
    };
    const mainMethodId = await method('Main acquirer', 'bench-main');
    const secondMethodId = await method('Second acquirer', 'bench-second');
    const ep = await createWebhookEndpoint(setupDeps, {
      url: 'http://127.0.0.1:9/webhooks',
      events: ['order.created', 'payment.succeeded'],
    });
    if (!ep.ok) throw new Error(`webhook endpoint: ${ep.error.message}`);
    await store.storage.close();

    log('seeding orders…');
    const t = performance.now();
    let lastLog = t;
    await seedOrderSet(store, { mainMethodId, secondMethodId, endpointId: ep.value.endpoint.id }, n, (done) => {
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${int(done)} orders`);
      }
    });
    const seedMs = performance.now() - t;
    log(`seeded in ${secs(seedMs)} (${int(n / (seedMs / 1000))} orders/s)`);

    // The cases. Point cases ask for a different random order each time.
    const mid = Math.floor(n * 0.37);
    const exactRef = reference(mid);
    const narrowPrefix = exactRef.slice(0, -3);
    const broadPrefix = 'shop-';
    const refNorm = (i: number) => reference(i).toLowerCase();
    const byTrack = (field: string, value: string, track: keyof ReturnType<typeof tracksOf>) => ({
      list: { [field]: value } as OrderFilters,
      matches: (i: number) => tracksOf(i)[track] === value,
      check: (o: Record<string, unknown>) => o[field] === value,
    });
    const dayFrom = Date.parse(`${ONE_DAY}T00:00:00.000Z`);
    const inDay = (i: number) => {
      const c = Date.parse(createdAt(i, n));
      return c >= dayFrom && c < dayFrom + 86_400_000;
    };
    const listSpecs: {
      name: string;
      list: OrderFilters;
      matches?: (i: number) => boolean;
      check?: (o: Record<string, unknown>) => boolean;
    }[] = [
      { name: 'no filter', list: {} },
      { name: 'status=on_hold', ...byTrack('status', 'on_hold', 'status') },
      { name: 'payment_status=refunded', ...byTrack('payment_status', 'refunded', 'payment') },
      { name: 'delivery_status=delivered', ...byTrack('delivery_status', 'delivered', 'delivery') },
      { name: 'fiscal_status=failed', ...byTrack('fiscal_status', 'failed', 'fiscal') },
      { name: 'review_status=pending', ...byTrack('review_status', 'pending', 'review') },
      {
        name: 'sync=failed',
        list: { sync: 'failed' },
        matches: (i) => syncFailed(i, n),
        check: (o) => syncFailed(Number(String(o.id).replace('ord_bench', '')), n),
      },
      {
        name: 'payment_method_id=<second method, 5%>',
        list: { payment_method_id: secondMethodId },
        matches: (i) => tracksOf(i).second,
        check: (o) =>
          (o.payments as { payment_method_id: string }[]).some((p) => p.payment_method_id === secondMethodId),
      },
      {
        name: `created_from=created_to=${ONE_DAY} (one day)`,
        list: { created_from: ONE_DAY, created_to: ONE_DAY },
        matches: inDay,
        check: (o) => String(o.created_at).startsWith(ONE_DAY),
      },
      {
        name: `reference=${exactRef} (exact)`,
        list: { reference: exactRef },
        matches: (i) => i === mid,
        check: (o) => o.reference === exactRef,
      },
      {
        name: `reference=${narrowPrefix}* (prefix)`,
        list: { reference: `${narrowPrefix}*` },
        matches: (i) => refNorm(i).startsWith(narrowPrefix.toLowerCase()),
        check: (o) => String(o.reference).toLowerCase().startsWith(narrowPrefix.toLowerCase()),
      },
      {
        name: `reference=${broadPrefix}* (prefix of every order)`,
        list: { reference: `${broadPrefix}*` },
        matches: (i) => refNorm(i).startsWith(broadPrefix),
        check: (o) => String(o.reference).toLowerCase().startsWith(broadPrefix),
      },
    ];

    // The real server over the seeded database, on a storage opened after seeding.
    const storage = openStorage(store.url);
    closers.push(() => storage.close());
    const composed = compose(
      { databaseUrl: store.url, masterKey, publicUrl: 'http://127.0.0.1:9' },
      { storage, fiscal: null },
    );
    const deps = composed.deps;
    const app = await buildServer(deps, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    closers.unshift(() => app.close());
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const base = `http://127.0.0.1:${addr.port}`;
    deps.publicUrl = base;
    const apiKey = (await createApiKey(deps, { name: 'bench-admin', scopes: ['admin'] })).key;
    const password = 'bench-password-long-enough-1';
    const user = await createUser(deps, { email: 'bench-admin@example.test', role: 'admin', password });
    if (!user.ok) throw new Error(`user: ${user.error.message}`);
    const client = new BenchClient(base);
    closers.unshift(() => client.close());
    const session = await signIn(client, 'bench-admin@example.test', password);
    const api = { authorization: `Bearer ${apiKey}` };
    const browser = { cookie: session };

    const first = await client.request('GET', `/v1/orders?limit=${LIMIT}`, { headers: api });
    if (first.status !== 200) throw new Error(`GET /v1/orders: ${first.status} ${first.body.slice(0, 200)}`);
    const cursor = (JSON.parse(first.body) as { next_cursor: string | null }).next_cursor;
    if (!cursor) throw new Error('GET /v1/orders: no next_cursor');
    const pick = randomOrders(n, 0x5e771e);

    const specs: CaseSpec[] = [
      ...listSpecs.map((s): CaseSpec => ({
        group: 'API',
        name: s.name,
        path: () => `/v1/orders?${qs({ ...(s.list as Record<string, string>), limit: String(LIMIT) })}`,
        headers: api,
        list: s.list,
        matches: s.matches,
        check: s.check,
        inspect: apiListInspect(s.check),
      })),
      {
        group: 'API',
        name: 'second page (cursor)',
        path: () => `/v1/orders?${qs({ limit: String(LIMIT), cursor })}`,
        headers: api,
        list: { cursor },
        inspect: apiListInspect(),
      },
      {
        group: 'API',
        name: 'one order (random id)',
        path: (k) => `/v1/orders/${orderId(pick(k))}`,
        headers: api,
        inspect: (a) => (a.status === 200 ? `${Math.round(a.body.length / 100) / 10} KB` : a.body.slice(0, 120)),
      },
      {
        group: 'admin',
        name: 'order list, no filter',
        path: () => '/admin/orders',
        headers: browser,
        inspect: adminListInspect,
      },
      {
        group: 'admin',
        name: 'order list, status=on_hold',
        path: () => '/admin/orders?status=on_hold',
        headers: browser,
        inspect: adminListInspect,
        matches: (i) => tracksOf(i).status === 'on_hold',
      },
      {
        group: 'admin',
        name: `order list, second method + one day (${ONE_DAY})`,
        path: () =>
          `/admin/orders?${qs({ payment_method_id: secondMethodId, created_from: ONE_DAY, created_to: ONE_DAY })}`,
        headers: browser,
        inspect: adminListInspect,
        list: { payment_method_id: secondMethodId, created_from: ONE_DAY, created_to: ONE_DAY },
        matches: (i) => tracksOf(i).second && inDay(i),
      },
      {
        group: 'admin',
        name: 'order page (random id)',
        path: (k) => `/admin/orders/${orderId(pick(k))}`,
        headers: browser,
        inspect: pageInspect,
      },
    ];

    const countMatching = (f: (i: number) => boolean) => {
      let c = 0;
      for (let i = 0; i < n; i++) if (f(i)) c += 1;
      return c;
    };

    const bare = await bareServer();
    closers.unshift(() => bare.close());
    const bareClient = new BenchClient(bare.url);
    closers.unshift(() => bareClient.close());
    const reference1 = await measureLatency(bareClient, { path: () => '/ping' }, { warmup: WARMUP, count: COUNT });
    log(`bare route: median ${ms(reference1.medianMs)}, p95 ${ms(reference1.p95Ms)}`);

    const cases: CaseResult[] = [];
    for (const c of specs) {
      const r = await measureLatency(client, c, { warmup: WARMUP, count: COUNT });
      const request = `GET ${decodeURIComponent(c.path(0))
        .replace(cursor, '<cursor>')
        .replace(/ord_bench\d+/, ':id')}`;
      cases.push({ group: c.group, name: c.name, request, r, matching: c.matches ? countMatching(c.matches) : null });
      log(
        `${c.group} ${c.name}: median ${ms(r.medianMs)}, p95 ${ms(r.p95Ms)} (${Object.entries(r.statuses)
          .map(([s, k]) => `${s}×${k}`)
          .join(' ')}; ${r.note ?? ''})`,
      );
    }
    const reference2 = await measureLatency(bareClient, { path: () => '/ping' }, { warmup: WARMUP, count: COUNT });
    log(`bare route again: median ${ms(reference2.medianMs)}, p95 ${ms(reference2.p95Ms)}`);
    const [bareRef, bareOther] =
      reference1.medianMs <= reference2.medianMs ? [reference1, reference2] : [reference2, reference1];

    for (const close of closers.splice(0)) await close();

    log('explaining the list queries…');
    const plans = await explainLists(store, specs);
    let plansWithoutStats: PlanResult[] | null = null;
    if (store.kind === 'sqlite') {
      // What a SQLite file of Settle's own has, as nothing in Settle runs ANALYZE: no statistics.
      const db = new SqliteDatabase(store.sqliteFile!);
      db.exec('drop table if exists sqlite_stat1; drop table if exists sqlite_stat4');
      db.close();
      plansWithoutStats = await explainLists(store, specs);
    }
    const orderPage = cases.find((c) => c.name === 'order page (random id)');
    return {
      n,
      seedMs,
      reference: bareRef,
      referenceOther: bareOther,
      cases,
      plans,
      plansWithoutStats,
      counts: trackCounts(n),
      orderPageNote: orderPage && !orderPage.r.statuses[200] ? (orderPage.r.note ?? '') : '',
    };
  } finally {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    await store.drop();
  }
}

const met = (c: CaseResult) => c.r.medianMs < TARGET_MEDIAN_MS && (c.r.statuses[200] ?? 0) === c.r.samples.length;

function answer(c: CaseResult): string {
  const statuses = Object.entries(c.r.statuses)
    .map(([s, k]) => (k === c.r.samples.length ? s : `${s} ×${k}`))
    .join(', ');
  return c.r.note ? `${statuses}: ${c.r.note}` : statuses;
}

function render(results: SizeResult[], storeLabel: string): string {
  const out: string[] = [machineLine(machineInfo(), storeLabel), ''];
  for (const res of results) {
    if (results.length > 1) out.push(`#### ${int(res.n)} orders`, '');
    const ref = res.reference;
    const rows = [
      [
        'reference',
        'bare Fastify route',
        'GET /ping',
        ms(ref.medianMs),
        ms(ref.p95Ms),
        '1.00×',
        '200: small JSON',
        '—',
        '',
      ],
      ...res.cases.map((c) => [
        c.group,
        c.name,
        `\`${c.request}\``,
        ms(c.r.medianMs),
        ms(c.r.p95Ms),
        ratio(c.r.medianMs / ref.medianMs),
        answer(c),
        c.matching === null ? '—' : int(c.matching),
        met(c) ? '✔' : '✘',
      ]),
    ];
    out.push(
      table(
        ['', 'case', 'request', 'median', 'p95', '÷ bare route', 'answer', 'matching', `< ${TARGET_MEDIAN_MS} ms`],
        rows,
        ['l', 'l', 'l', 'r', 'r', 'r', 'l', 'r', 'l'],
      ),
    );
    const misses = res.cases.filter((c) => !met(c));
    out.push(
      '',
      `${int(res.n)} orders. Target (median under ${TARGET_MEDIAN_MS} ms and every answer 200, for every case): **${misses.length === 0 ? 'met' : 'not met'}**` +
        (misses.length
          ? ` — missed by ${misses.map((c) => `${c.group} “${c.name}” (${ms(c.r.medianMs)}${(c.r.statuses[200] ?? 0) === c.r.samples.length ? '' : `, answered ${Object.keys(c.r.statuses).join('/')}`})`).join('; ')}.`
          : '.'),
    );
    if (res.orderPageNote)
      out.push(
        '',
        `The admin order page did not answer 200 in this run (${res.orderPageNote}): its figure is not the page's.`,
      );

    out.push(
      '',
      '<details><summary>Details: the data set, the reference, the list queries and their plans</summary>',
      '',
    );
    out.push(
      `Seeded in ${secs(res.seedMs)} (${int(res.n / (res.seedMs / 1000))} orders/s, with ANALYZE). Bare route, the other run: median ${ms(res.referenceOther.medianMs)}, p95 ${ms(res.referenceOther.p95Ms)}.`,
      '',
    );
    const trackRows = Object.entries(res.counts).map(([track, values]) => [
      track,
      Object.entries(values)
        .sort(([, a], [, b]) => b - a)
        .map(([v, k]) => `${v} ${int(k)}`)
        .join(', '),
    ]);
    trackRows.push(['sync (webhook given up)', `failed ${int(SYNC_FAILED)}`]);
    out.push(table(['track', 'orders'], trackRows, ['l', 'l']), '');
    out.push(
      `Profiles (statuses that go together) and their shares: ${PROFILES.map((p) => `${p.name} ${(p.share * 100).toFixed(p.share < 0.01 ? 2 : 1)}%`).join('; ')}.`,
      '',
    );
    out.push(
      table(
        ['list case', 'listOrders alone (after ANALYZE)', ...(res.plansWithoutStats ? ['without statistics'] : [])],
        res.plans.map((p) => {
          const without = res.plansWithoutStats?.find((x) => x.name === p.name);
          return [p.name, ms(p.storageMs), ...(res.plansWithoutStats ? [without ? ms(without.storageMs) : '—'] : [])];
        }),
        ['l', 'r', 'r'],
      ),
      '',
      '*listOrders alone*: the storage call the list routes make (page of 51 rows, mapped to orders), median of 10 after 2 warm-ups, no HTTP; on a connection of its own.',
    );
    for (const p of res.plans) {
      out.push(
        '',
        `##### ${p.name}`,
        '',
        '```sql',
        `${p.sql}`,
        `-- parameters: ${JSON.stringify(p.params)}`,
        '```',
        '',
        '```',
        ...p.plan,
        '```',
      );
      const without = res.plansWithoutStats?.find((x) => x.name === p.name);
      if (without && without.plan.join('\n') !== p.plan.join('\n'))
        out.push('', 'Without statistics (before ANALYZE):', '', '```', ...without.plan, '```');
    }
    out.push('', '</details>');
  }
  return out.join('\n');
}

export const ordersSuite: Suite = {
  id: 'orders',
  title: 'Order list and order page',
  about: ABOUT,
  async run(ctx) {
    const version = await storeVersion(ctx.store, process.env.DATABASE_URL ?? '');
    const results: SizeResult[] = [];
    for (const n of ctx.sizes ?? SIZES) results.push(await measureSize(ctx, n));
    return render(results, version);
  },
};
