import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { ERROR_STATUS } from '../../src/web/error-codes.js';
import { buildServer } from '../../src/server.js';
import { AdminClient } from '../support/admin-client.js';
import { newReference, sandboxSettings, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';
import { testLogger } from '../support/test-logs.js';

// The bad-input sweep: every route the server lists, driven with random and hostile requests.
// Every answer is below 500, every JSON rejection is in the one error shape, every answer comes
// within a bound, and the requests the server refused changed nothing. Seeded: SWEEP_SEED=n
// repeats a run (the seed is printed on failure); SWEEP_RUNS=n changes the requests per route.
const SEED = Number(process.env.SWEEP_SEED ?? 20261123);
const RUNS = Number(process.env.SWEEP_RUNS ?? 12);
// A bound against hangs (a request left without an answer), not a speed target: speed lives in the bench.
const MAX_MS = 10_000;
const BODY_LIMIT = 256 * 1024;

let h: Harness;
let sweep: FastifyInstance;
let base: string;
let adminCookie: string;
const fx = {
  paidOrderId: '',
  paidKey: '',
  paidRef: '',
  paidPaymentId: '',
  openOrderId: '',
  openRef: '',
  openPaymentId: '',
  linkToken: '',
  otherPmId: '',
  signedPaidCallback: '',
};

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

before(async () => {
  h = await startHarness();
  // A second server over the same dependencies, with the public limits raised: the sweep tests
  // input, not the limits (the limits have their own test below).
  sweep = await buildServer(h.deps, {
    logger: testLogger(),
    rateLimits: { callbacksPerMinute: 1e6, pagesPerMinute: 1e6, payPerMinute: 1e6 },
  });
  await sweep.listen({ host: '127.0.0.1', port: 0 });
  const addr = sweep.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;

  // A paid order (its callback is the one replayed), an open one, and a payment link.
  fx.paidRef = newReference('SWP');
  const paid = await h.api('POST', '/v1/orders', { reference: fx.paidRef, currency: 'AMD', amount: 150000 });
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  fx.paidOrderId = paid.body.id;
  fx.paidKey = paid.body.order_key;
  fx.paidPaymentId = (
    await h.api('POST', `/v1/orders/${fx.paidOrderId}/payments`, { payment_method_id: h.paymentMethodId })
  ).body.id;
  fx.signedPaidCallback = JSON.stringify({
    order_id: fx.paidRef,
    status: 'executed',
    hash: md5(`${TEST_PRIVATE_KEY};${fx.paidRef};executed`),
  });
  const cb = await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: fx.signedPaidCallback,
  });
  assert.equal(cb.status, 200);
  fx.openRef = newReference('SWO');
  const open = await h.api('POST', '/v1/orders', { reference: fx.openRef, currency: 'AMD', amount: 990000 });
  fx.openOrderId = open.body.id;
  fx.openPaymentId = (
    await h.api('POST', `/v1/orders/${fx.openOrderId}/payments`, { payment_method_id: h.paymentMethodId })
  ).body.id;
  const linked = await h.api('POST', '/v1/orders', { reference: newReference('SWL'), currency: 'AMD', amount: 20000 });
  const link = await h.api('POST', `/v1/orders/${linked.body.id}/payment-links`, {
    expires_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  fx.linkToken = String(link.body.url).split('/pay/')[1]!;
  // A second payment method of the same connector with another private key.
  const other = await h.api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Other acquirer',
      connector: 'acquiring-v1',
      settings: { ...sandboxSettings(h.sandbox.url), private_key: 'another-key-0123456789' },
    },
    { key: h.adminKey },
  );
  assert.equal(other.status, 201, JSON.stringify(other.body));
  fx.otherPmId = other.body.id;

  const admin = await AdminClient.signedIn(h, 'admin');
  adminCookie = [...(admin as unknown as { cookies: Map<string, string> }).cookies]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
});

after(async () => {
  await sweep?.close();
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// Sending: node:http, so headers can repeat and bodies can come with any method and type.

interface Req {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
}
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
}

function send(r: Req): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Raw headers (so they can repeat): node adds no Host of its own then.
    const raw: string[] = ['host', new URL(base).host];
    for (const [k, v] of r.headers) raw.push(k, v);
    if (r.body && !r.headers.some(([k]) => k.toLowerCase() === 'content-length'))
      raw.push('content-length', String(r.body.length));
    const req = httpRequest(`${base}${r.path}`, { method: r.method, headers: raw as never, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The server may answer a too-large body before it has read all of it and close the socket.
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET')
        resolve({ status: -1, headers: {}, text: '', ms: performance.now() - started });
      // A HEAD refused by Node's parser (headers too large) still gets the error body, which a HEAD answer may not carry.
      else if (r.method === 'HEAD' && (e.code === 'HPE_INVALID_CONSTANT' || e.code === 'HPE_CLOSED_CONNECTION'))
        resolve({ status: -1, headers: {}, text: '', ms: performance.now() - started });
      else reject(new Error(`${r.method} ${r.path.slice(0, 200)}: ${e.code ?? ''} ${e.message}`));
    });
    req.end(r.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Hostile pieces.

const NASTY = [
  "' OR '1'='1",
  '1; DROP TABLE orders;--',
  '" UNION SELECT * FROM api_keys --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
  'NaN',
  '𝕊𝖊𝖙𝖙𝖑𝖊',
  '\u202egnp.exe',
  'ﷺ‮',
  '🧾💸',
  'Ω≈ç√',
  '{"$ne":null}',
  '__proto__',
  'constructor',
  'x'.repeat(201),
];

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(3000), '9'.repeat(400)) },
);

/** A path segment: hostile text (encoded, or raw bytes Fastify must refuse), or another order's id. */
const segment = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: hostileText.map((s) => encodeURIComponent(s) || '%20') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%E0%A4%A',
        '%',
        '%zz',
        '%C0%AF',
        '..',
        '.',
        '%2e%2e',
        '%2F',
        'a;b=c',
        "o'neil",
        '%F0%9F%A7%BE',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom('ord_0', 'pay_0', 'x') },
  );

/** Values of JSON types a schema does not expect. */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1),
  hostileText,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

type Body = { type?: string; body?: Buffer };

/** Multipart bodies that are not well formed: no boundary, cut off, odd field names, too many parts. */
const part = (name: string, value: string, file?: string) =>
  `--xyz\r\ncontent-disposition: form-data; name="${name}"${file ? `; filename="${file}"` : ''}\r\n\r\n${value}\r\n`;
const multipart: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom(
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary=xyz',
      'multipart/mixed; boundary=xyz',
      'multipart/form-data; boundary="xyz',
    ),
    fc.constantFrom(
      '',
      'junk',
      // A file part cut off by the end of the body (it once left the request without an answer).
      `${part('file', 'a,b', 'r.csv')}`.slice(0, -2),
      `${part('_csrf', 'forged')}${part('file', 'a,b', 'r.csv')}--xyz--`,
      `${part('__proto__', 'x')}--xyz--`,
      `${part('payment_method_id', 'x'.repeat(5000))}--xyz--`,
      `${Array.from({ length: 10 }, (_, i) => part(`f${i}`, 'v')).join('')}--xyz--`,
      `${part('file', 'a', 'a.csv')}${part('file', 'b', 'b.csv')}--xyz--`,
      `${part('file', 'date,amount\n2026-01-01,1', '../../x.csv')}${part('payment_method_id', 'pm_x')}${part('date', "2026-01-01' OR 1=1")}--xyz--`,
      '--xyz\r\ncontent-disposition: form-data\r\n\r\nno name\r\n--xyz--',
      '--xyz\r\nbroken header\r\n\r\nx\r\n--xyz--',
    ),
  )
  .map(([type, body]) => ({ type, body: Buffer.from(body) }));
/** A body: wrong JSON types for the route's own fields, random JSON, deep, huge, broken, or in a wrong type. */
const bodyFor = (props: string[]): fc.Arbitrary<Body> => {
  const json = (v: unknown): Body => ({ type: 'application/json', body: Buffer.from(JSON.stringify(v) ?? 'null') });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(Object.fromEntries(props.map((p) => [p, wrongType])), { requiredKeys: [] }).map(json),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(100, 5000, 50_000)
        .map((d) => ({ type: 'application/json', body: Buffer.from(`{"a":${deepJson(d)}}`) })),
    },
    { weight: 1, arbitrary: fc.constant({ type: 'application/json', body: Buffer.alloc(BODY_LIMIT + 1024, 0x20) }) },
    {
      weight: 1,
      arbitrary: fc.constant({ type: 'application/json', body: Buffer.from(`{"x":"${'y'.repeat(BODY_LIMIT)}"}`) }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"a":',
          '[1,]',
          '\u0000',
          'nul',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '',
        )
        .map((s) => ({ type: 'application/json', body: Buffer.from(s) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'text/html',
            'multipart/form-data; boundary=xyz',
            'multipart/form-data',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1',
            'application/octet-stream',
            'garbage',
            '',
          ),
          hostileText,
        )
        .map(([type, s]) => ({ type: type || undefined, body: Buffer.from(s) })),
    },
    { weight: 2, arbitrary: multipart },
    { weight: 1, arbitrary: fc.constant({}) },
  );
};

const latin1 = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

/** Query strings: the route's own parameters with hostile values, unknown ones, repeats. */
const queryFor = (names: string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...names, 'limit', 'cursor', 'status', '__proto__'), fc.string({ maxLength: 6 })),
        hostileText,
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '',
    );

// ---------------------------------------------------------------------------------------------
// The routes, from the running server's OpenAPI document (it lists the admin pages, callbacks,
// return and pay pages too).

interface Route {
  method: string;
  path: string;
  bodyProps: string[];
  queryNames: string[];
}

/** Every route the server has (the API and the pages beside it), from Fastify itself. */
async function routes(): Promise<Route[]> {
  const props = (schema: unknown) => Object.keys((schema as { properties?: object } | undefined)?.properties ?? {});
  return h.routes
    .flatMap((r) => [r.method].flat().map((method) => ({ method, r })))
    .filter(({ method }) => method !== 'HEAD')
    .map(({ method, r }) => ({
      method,
      // Fastify's :param as OpenAPI's {param}, as the rest of this file writes paths.
      path: r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
      bodyProps: props(r.schema?.body),
      queryNames: props(r.schema?.querystring),
    }));
}

// The customer pages (return, pay-by-link, next step) and the admin pages answer in HTML.
const isHtmlRoute = (path: string) => /^\/(admin|return|pay|next)(\/|$)/.test(path);
const isMutating = (m: string) => !['GET', 'HEAD', 'OPTIONS'].includes(m);

/** Authorization for an API request: none, garbage, repeated, or a key that is not one. */
const authHeaders = () =>
  fc.oneof(
    fc.constant<[string, string][]>([]),
    hostileText.map((s): [string, string][] => [['authorization', latin1(`Bearer ${s}`)]]),
    fc.constantFrom<[string, string][]>(
      [['authorization', 'Bearer']],
      [['authorization', 'Basic YWRtaW46YWRtaW4=']],
      [['authorization', `bearer ${h.storeKey}x`]],
      [['authorization', `Bearer ${fx.paidKey}`]],
      [
        ['authorization', `Bearer ${h.storeKey}`],
        ['authorization', 'Bearer nonsense'],
      ],
      [
        ['authorization', 'Bearer nonsense'],
        ['authorization', `Bearer ${h.adminKey}`],
      ],
      [['authorization', `Bearer ${h.storeKey}`]],
      [['authorization', `Bearer ${h.adminKey}`]],
      [['authorization', `Bearer ${h.adminKey}`]],
    ),
  );

const idempotencyHeaders = () =>
  fc.oneof(
    fc.constant<[string, string][]>([]),
    hostileText.map((s): [string, string][] => [['idempotency-key', latin1(s)]]),
    fc.constantFrom<[string, string][]>(
      [['idempotency-key', '']],
      [['idempotency-key', 'k'.repeat(5000)]],
      [['x-big', 'h'.repeat(20_000)]],
      [
        ['idempotency-key', 'a'],
        ['idempotency-key', 'b'],
      ],
    ),
  );

const adminHeaders = () =>
  fc.constantFrom<[string, string][]>(
    [],
    [['cookie', 'settle_session=forged']],
    [['cookie', adminCookie]],
    [
      ['cookie', adminCookie],
      ['cookie', 'settle_session=forged'],
    ],
    [
      ['cookie', adminCookie],
      ['x-csrf-token', 'forged'],
    ],
  );

/** One hostile request for a route. */
function requestFor(route: Route): fc.Arbitrary<Req> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST') },
  );
  const params = fc.tuple(...names.map(() => segment()));
  const headers = route.path.startsWith('/admin')
    ? adminHeaders()
    : fc.tuple(authHeaders(), idempotencyHeaders()).map(([a, b]) => [...a, ...b]);
  return fc
    .record({
      method,
      params,
      query: queryFor(route.queryNames),
      body: bodyFor(route.bodyProps),
      headers,
      contentTypeTwice: fc.boolean(),
    })
    .map((g) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\}/g, () => g.params[i++]!) + g.query;
      const hs: [string, string][] = [...g.headers];
      if (g.body.type) {
        hs.push(['content-type', g.body.type]);
        if (g.contentTypeTwice) hs.push(['content-type', 'text/plain']);
      }
      return { method: g.method, path, headers: hs, body: g.body.body };
    });
}

// ---------------------------------------------------------------------------------------------
// What every answer must be.

const STACK = /\n\s+at [\w.<>]+ \(|node:internal|\.ts:\d+:\d+|TypeError|ReferenceError|SyntaxError: /;

function checkAnswer(req: Req, a: Answer): string | undefined {
  const type = req.headers.filter(([k]) => k === 'content-type').map(([, v]) => v);
  const what = `${req.method} ${req.path.slice(0, 200)} [${type.join(' + ')}; ${short(req.body?.toString('utf8') ?? '').slice(0, 300)}]`;
  if (a.status === -1) return undefined; // the connection closed after the answer to a too-large body
  if (a.status >= 500) return `${what}: ${a.status} ${a.text.slice(0, 300)}`;
  if (a.ms > MAX_MS) return `${what}: took ${Math.round(a.ms)} ms`;
  if (STACK.test(a.text)) return `${what}: a stack trace in the answer`;
  const answerType = String(a.headers['content-type'] ?? '');
  const mustBeJson = !isHtmlRoute(req.path.split('?')[0]!) || answerType.includes('json');
  if (a.status >= 400 && mustBeJson && req.method !== 'HEAD') {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(a.text);
    } catch {
      return `${what}: ${a.status} not JSON: ${a.text.slice(0, 200)}`;
    }
    const keys = Object.keys(body).sort().join(',');
    if (keys !== 'code,error,message,statusCode') return `${what}: ${a.status} keys ${keys}: ${a.text.slice(0, 200)}`;
    if (body.statusCode !== a.status) return `${what}: statusCode ${String(body.statusCode)} on a ${a.status}`;
    if (!(String(body.code) in ERROR_STATUS)) return `${what}: unregistered code ${String(body.code)}`;
    if (a.status === 429 && !a.headers['retry-after']) return `${what}: 429 without retry-after`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// State: what a refused request must not change. The callback log is left out: every callback
// is recorded as received, refused ones too (by design); so are sign-in attempts and API key use.

async function snapshot() {
  const db = h.store.storage.db;
  const count = async (table: string) =>
    Number(
      (
        (await db
          .selectFrom(table as never)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()) as { n: number | string }
      ).n,
    );
  const tables = [
    'orders',
    'payment_attempts',
    'order_events',
    'tasks',
    'outbox',
    'refunds',
    'chargebacks',
    'shipments',
    'adjustments',
    'payment_links',
    'receipts',
    'payment_methods',
    'api_keys',
    'webhook_endpoints',
    'reconciliation_runs',
    'report_lines',
    'users',
    'settings',
    'provider_operations',
  ];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await count(t);
  const applied = await db
    .selectFrom('callbacks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('outcome', '=', 'applied')
    .executeTakeFirstOrThrow();
  counts.callbacks_applied = Number(applied.n);
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'status', 'payment_status', 'amount'])
    .orderBy('id')
    .execute();
  const attempts = await db.selectFrom('payment_attempts').select(['id', 'status']).orderBy('id').execute();
  const links = await db.selectFrom('payment_links').select(['id', 'status']).orderBy('id').execute();
  const settings = await db.selectFrom('settings').selectAll().execute();
  return { counts, orders, attempts, links, settings: JSON.stringify(settings) };
}

/** Long runs of one character (huge bodies and headers) shortened, for readable failures. */
const short = (s: string) => s.replace(/(.)\1{40,}/g, (run, c: string) => `${c}…×${run.length}`).slice(0, 4000);

function seeded<T>(name: string, arb: fc.Arbitrary<T>, check: (v: T) => Promise<void>, numRuns = RUNS) {
  const seed = SEED + [...name].reduce((s, c) => (s * 31 + c.charCodeAt(0)) | 0, 0);
  return fc.assert(fc.asyncProperty(arb, check), { seed, numRuns, endOnFailure: true }).catch((e: Error) => {
    throw new Error(
      `${name} failed (SWEEP_SEED=${SEED}, fast-check seed ${seed}): ${short(e.message)}\ncause: ${short(String((e.cause as Error | undefined)?.message ?? ''))}`,
    );
  });
}

// ---------------------------------------------------------------------------------------------

test('every route answers random and hostile requests below 500, in the one error shape, in bounded time, and refused requests change nothing', async (t) => {
  const all = await routes();
  for (const needed of [
    'POST /callbacks/{paymentMethodId}',
    'GET /return/{paymentId}',
    'GET /pay/{token}',
    'POST /pay/{token}',
    'GET /v1/public/orders/{orderKey}',
    'POST /admin/sign-in',
    'POST /v1/orders',
  ]) {
    assert.ok(
      all.some((r) => `${r.method} ${r.path}` === needed),
      `${needed} is listed`,
    );
  }
  const before = await snapshot();
  const problems: string[] = [];
  const accepted: string[] = [];
  let sent = 0;
  for (const route of all) {
    await seeded(`${route.method} ${route.path}`, requestFor(route), async (req) => {
      const a = await send(req);
      sent++;
      const p = checkAnswer(req, a);
      if (p) problems.push(p);
      if (isMutating(req.method) && a.status >= 200 && a.status < 400)
        accepted.push(`${req.method} ${req.path.slice(0, 120)} → ${a.status}`);
    });
  }
  t.diagnostic(`${all.length} routes, ${sent} requests (SWEEP_SEED=${SEED}, ${RUNS} per route)`);
  assert.deepEqual(problems.map(short), [], `seed ${SEED}`);
  assert.deepEqual(accepted, [], `hostile requests that were accepted (seed ${SEED})`);
  assert.deepEqual(await snapshot(), before, `refused requests changed nothing (seed ${SEED})`);
});

test('callbacks: forged and replayed signatures, another order, another payment method: refused or duplicate, nothing applied twice', async () => {
  const before = await snapshot();
  const paid = JSON.parse(fx.signedPaidCallback) as Record<string, string>;
  const forged = fc.oneof(
    // Signature of nothing in particular.
    fc
      .tuple(
        fc.constantFrom(fx.paidRef, fx.openRef),
        fc.constantFrom('executed', 'canceled', 'opened', 'error#1234', 'EXECUTED'),
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
          hostileText,
        ),
      )
      .map(([order_id, status, hash]) => ({ pm: h.paymentMethodId, body: JSON.stringify({ order_id, status, hash }) })),
    // The paid order's valid callback replayed for the open order.
    fc.constant({ pm: h.paymentMethodId, body: JSON.stringify({ ...paid, order_id: fx.openRef }) }),
    fc.constant({ pm: h.paymentMethodId, body: JSON.stringify({ ...paid, order_id: fx.openRef.toLowerCase() }) }),
    // The open order signed with the right formula but another shop's key, and the paid order's callback sent to another payment method.
    fc.constant({
      pm: h.paymentMethodId,
      body: JSON.stringify({
        order_id: fx.openRef,
        status: 'executed',
        hash: md5(`another-key-0123456789;${fx.openRef};executed`),
      }),
    }),
    fc.constant({ pm: fx.otherPmId, body: fx.signedPaidCallback }),
    // Extra fields, wrong types, a second order id.
    fc.constant({
      pm: h.paymentMethodId,
      body: `{"order_id":"${fx.paidRef}","order_id":"${fx.openRef}","status":"executed","hash":"${paid.hash}"}`,
    }),
    wrongType.map((v) => ({ pm: h.paymentMethodId, body: JSON.stringify({ ...paid, order_id: v }) })),
    // An exact replay of the applied callback: acknowledged as a duplicate.
    fc.constant({ pm: h.paymentMethodId, body: fx.signedPaidCallback }),
  );
  await seeded(
    'callback signatures',
    fc.tuple(forged, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')),
    async ([cb, type]) => {
      const req: Req = {
        method: 'POST',
        path: `/callbacks/${cb.pm}`,
        headers: [['content-type', type]],
        body: Buffer.from(cb.body),
      };
      const a = await send(req);
      const p = checkAnswer(req, a);
      assert.equal(p, undefined, p);
      if (cb.body !== fx.signedPaidCallback || cb.pm !== h.paymentMethodId)
        assert.ok(a.status >= 400, `${cb.pm} ${cb.body}: ${a.status} ${a.text}`);
    },
    60,
  );
  assert.deepEqual(await snapshot(), before);
  const open = await h.api('GET', `/v1/orders/${fx.openOrderId}`);
  assert.equal(open.body.status, 'pending_payment');
});

test("the public order view: another order's id, payment id, a near key, or an API key finds nothing", async () => {
  const near = fx.paidKey.slice(0, -1) + (fx.paidKey.endsWith('A') ? 'B' : 'A');
  for (const key of [
    fx.paidOrderId,
    fx.openPaymentId,
    near,
    fx.paidKey.toUpperCase() === fx.paidKey ? fx.paidKey.toLowerCase() : fx.paidKey.toUpperCase(),
    h.storeKey,
    fx.linkToken,
    `${fx.paidKey}/..`,
    `${fx.paidKey}%00`,
  ]) {
    const req: Req = { method: 'GET', path: `/v1/public/orders/${encodeURIComponent(key)}`, headers: [] };
    const a = await send(req);
    assert.equal(checkAnswer(req, a), undefined);
    assert.equal(a.status, 404, `${key}: ${a.status}`);
  }
  const right = await send({ method: 'GET', path: `/v1/public/orders/${fx.paidKey}`, headers: [] });
  assert.equal(right.status, 200);
});

test('public routes: per-address limits answer 429 in the one error shape with retry-after; the body limits answer 413', async () => {
  const limited = await buildServer(h.deps, {
    logger: false,
    rateLimits: { callbacksPerMinute: 5, pagesPerMinute: 3, payPerMinute: 2 },
  });
  try {
    const hit = async (method: string, url: string, n: number, payload?: string) => {
      const out = [];
      for (let i = 0; i < n; i++)
        out.push(
          await limited.inject({
            method,
            url,
            payload,
            headers: payload === undefined ? {} : { 'content-type': 'application/json' },
          }),
        );
      return out;
    };
    const cases: [string, string, number, string?][] = [
      ['GET', `/v1/public/orders/${fx.paidKey}`, 3],
      ['GET', `/return/${fx.paidPaymentId}`, 3],
      ['GET', `/return/m/${h.paymentMethodId}/${fx.paidRef}`, 3],
      ['GET', `/pay/${fx.linkToken}`, 3],
      ['POST', `/pay/${'x'.repeat(20)}`, 2],
      ['POST', `/callbacks/${h.paymentMethodId}`, 5, fx.signedPaidCallback],
    ];
    for (const [method, url, max, payload] of cases) {
      const answers = await hit(method, url, max + 1, payload);
      assert.ok(
        answers.slice(0, max).every((a) => a.statusCode < 429),
        `${method} ${url}: ${answers.map((a) => a.statusCode)}`,
      );
      const last = answers[max]!;
      assert.equal(last.statusCode, 429, `${method} ${url}`);
      assert.deepEqual(Object.keys(JSON.parse(last.body)).sort(), ['code', 'error', 'message', 'statusCode']);
      assert.equal(JSON.parse(last.body).code, 'rate_limited');
      assert.ok(Number(last.headers['retry-after']) >= 1, 'retry-after in seconds');
    }
    // The API behind a key is not limited per address here.
    const api = await hit('GET', '/v1/orders', 10);
    assert.ok(api.every((a) => a.statusCode === 401));
  } finally {
    await limited.close();
  }
  const bodies: [string, number][] = [
    [`/callbacks/${h.paymentMethodId}`, 64 * 1024 + 1],
    [`/pay/${fx.linkToken}`, 1025],
  ];
  for (const [url, size] of bodies) {
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
      const a = await sweep.inject({
        method: 'POST',
        url,
        payload: Buffer.alloc(size, 0x61),
        headers: { 'content-type': type },
      });
      assert.equal(a.statusCode, 413, `${url} ${type}: ${a.statusCode} ${a.body.slice(0, 200)}`);
      assert.equal(JSON.parse(a.body).code, 'payload_too_large');
    }
  }
  const link = await h.api('GET', `/v1/orders/${fx.paidOrderId}`);
  assert.equal(link.body.status, 'processing');
});

test('what the sweep found stays fixed: broken multipart, broken %-escapes, long path segments, oversized headers', async () => {
  const cases: Req[] = [
    // Multipart without a boundary, of another subtype, or cut off: were 500s (busboy throws plain Errors).
    ...['/v1/reconciliation/runs', '/admin/reconciliation/runs'].flatMap((path): Req[] => {
      const auth: [string, string][] = path.startsWith('/admin')
        ? [['cookie', adminCookie]]
        : [['authorization', `Bearer ${h.adminKey}`]];
      return [
        {
          method: 'POST',
          path,
          headers: [...auth, ['content-type', 'multipart/form-data']],
          body: Buffer.from('junk'),
        },
        {
          method: 'POST',
          path,
          headers: [...auth, ['content-type', 'multipart/mixed; boundary=xyz']],
          body: Buffer.from('junk'),
        },
        // Cut off inside the file part: once got no answer (the file stream never ended while the
        // error waited on the parts); the file is now written while the parts are read.
        {
          method: 'POST',
          path,
          headers: [...auth, ['content-type', 'multipart/form-data; boundary=xyz']] as [string, string][],
          body: Buffer.from(part('file', 'a,b', 'r.csv').slice(0, -2)),
        },
      ];
    }),
    // A broken %-escape and a segment over the router's limit: were answered in Fastify's own shape (code FST_ERR_*).
    { method: 'GET', path: '/v1/orders/%E0%A4%A', headers: [['authorization', `Bearer ${h.storeKey}`]] },
    { method: 'GET', path: `/v1/public/orders/${'k'.repeat(300)}`, headers: [] },
    {
      method: 'POST',
      path: `/callbacks/%zz`,
      headers: [['content-type', 'application/json']],
      body: Buffer.from('{}'),
    },
    // Headers over Node's limit: were answered without a code.
    { method: 'GET', path: '/v1/orders', headers: [['x-big', 'h'.repeat(20_000)]] },
    // A NUL byte in a path parameter: PostgreSQL refuses the text (22021), which was a 500.
    { method: 'GET', path: '/callbacks/a%00b', headers: [] },
    { method: 'GET', path: '/v1/orders?reference=a%00b', headers: [['authorization', `Bearer ${h.storeKey}`]] },
  ];
  for (const req of cases) {
    const a = await send(req);
    assert.equal(checkAnswer(req, a), undefined);
    // A NUL byte is refused on PostgreSQL (400) and simply not found on SQLite: below 500 either way.
    assert.ok(
      (a.status >= 400 || req.path.includes('%00')) && a.status < 500,
      `${req.method} ${req.path}: ${a.status}`,
    );
    if (!req.path.startsWith('/admin') && !req.path.includes('%00'))
      assert.ok(
        ['invalid_request', 'unsupported_media_type'].includes(JSON.parse(a.text).code),
        `${req.path}: ${a.text}`,
      );
  }
});
