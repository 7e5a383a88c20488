import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import type { Failure, Result } from '../domain/result.js';
import { Secret } from '../domain/secret.js';
import type { IssuedReceipt, ReceiptRequest } from '../ports/fiscal.js';
import { createHttpClient } from './http-client.js';
import { createFiscalClient } from './fiscal-client.js';
import {
  FiscalSandbox,
  fiscalSandboxPlugin,
  REJECT_MESSAGE,
  startFiscalSandbox,
  type RunningFiscalSandbox,
} from './fiscal-sandbox.js';

const TOKEN = 'fiscal-token-7f3a';

const RECEIPT: ReceiptRequest = {
  id: 'rcp_01',
  kind: 'sale',
  orderReference: 'FD-1240',
  currency: 'AMD',
  total: 150000,
  items: [
    { name: 'Tea', quantity: 2, amount: 100000 },
    { name: 'Shipping', quantity: 1, amount: 50000 },
  ],
  customerEmail: 'ann@example.com',
};

/** Every failure message a test saw, checked at the end of each test for the token and for paths. */
function failureOf(r: Result<IssuedReceipt>, seen: Failure[]): Failure {
  assert.equal(r.ok, false, 'expected a failure');
  const error = (r as { error: Failure }).error;
  seen.push(error);
  return error;
}

function assertClean(seen: Failure[]) {
  for (const f of seen) {
    const text = JSON.stringify(f);
    assert.equal(text.includes(TOKEN), false, text);
    assert.equal(text.includes('/api/v1'), false, text);
  }
}

async function withSandbox(fn: (s: RunningFiscalSandbox, seen: Failure[]) => Promise<void>) {
  const s = await startFiscalSandbox({ token: TOKEN });
  const seen: Failure[] = [];
  try {
    await fn(s, seen);
    assertClean(seen);
  } finally {
    await s.close();
  }
}

const client = (baseUrl: string, opts: { token?: string | null; timeoutMs?: number } = {}) =>
  createFiscalClient({
    baseUrl,
    ...(opts.token !== null && { token: new Secret(opts.token ?? TOKEN) }),
    http: createHttpClient({ defaultTimeoutMs: opts.timeoutMs ?? 2000 }),
  });

/** A server that answers every request with one fixed answer, for what the sandbox never says. */
async function answering(status: number, body: string) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('issues a receipt: ok with the service id and fiscal number; the wire fields are what was asked', () =>
  withSandbox(async (s) => {
    const r = await client(s.url).issue(RECEIPT);
    assert.ok(r.ok);
    const [kept] = s.sandbox.receipts();
    assert.deepEqual(r.value, { providerRef: kept!.id, fiscalNumber: kept!.fiscal_number });
    assert.equal(kept!.external_id, 'rcp_01');
    assert.equal(kept!.kind, 'sale');
    assert.equal(kept!.order_reference, 'FD-1240');
    assert.equal(kept!.currency, 'AMD');
    assert.equal(kept!.total, 150000);
    assert.deepEqual(kept!.items, RECEIPT.items);
    assert.equal(kept!.customer_email, 'ann@example.com');

    const { customerEmail: _, ...noEmail } = { ...RECEIPT, id: 'rcp_02', kind: 'refund' as const };
    assert.ok((await client(s.url).issue(noEmail)).ok);
    assert.equal(s.sandbox.receipts()[1]!.customer_email, undefined);
  }));

test('a resend of the same receipt gets the same receipt back and registers it once', () =>
  withSandbox(async (s) => {
    const c = client(s.url);
    const first = await c.issue(RECEIPT);
    const again = await c.issue(RECEIPT);
    assert.ok(first.ok && again.ok);
    assert.deepEqual(again.value, first.value);
    assert.equal(s.sandbox.receipts().length, 1);
    assert.equal(s.sandbox.requests(), 2);
  }));

test("a refusal is fiscal_rejected with the service's own reason", () =>
  withSandbox(async (s, seen) => {
    s.sandbox.setSwitches({ fail: 'reject' });
    const rejected = failureOf(await client(s.url).issue(RECEIPT), seen);
    assert.equal(rejected.code, 'fiscal_rejected');
    assert.equal(rejected.message, REJECT_MESSAGE);
    assert.deepEqual(rejected.details, { httpStatus: 422, serviceCode: 'receipt_rejected' });

    s.sandbox.setSwitches({});
    const invalid = failureOf(await client(s.url).issue({ ...RECEIPT, total: 1 }), seen);
    assert.equal(invalid.code, 'fiscal_rejected');
    assert.match(invalid.message, /total 1 does not equal the sum of the item amounts, 150000/);

    // The same receipt id on other content: resending it will never help.
    assert.ok((await client(s.url).issue(RECEIPT)).ok);
    const conflict = failureOf(
      await client(s.url).issue({ ...RECEIPT, total: 100000, items: [RECEIPT.items[0]!] }),
      seen,
    );
    assert.equal(conflict.code, 'fiscal_rejected');
    assert.equal(conflict.details?.httpStatus, 409);
    assert.equal(s.sandbox.receipts().length, 1);
  }));

test('an outage is fiscal_unavailable naming the origin only; after failTimes the same receipt goes through', () =>
  withSandbox(async (s, seen) => {
    s.sandbox.setSwitches({ fail: 'unavailable', failTimes: 1 });
    const c = client(s.url);
    const down = failureOf(await c.issue(RECEIPT), seen);
    assert.equal(down.code, 'fiscal_unavailable');
    assert.equal(down.message, `The fiscal service at ${s.url} answered HTTP 503.`);
    assert.deepEqual(down.details, { httpStatus: 503 });
    assert.ok((await c.issue(RECEIPT)).ok);
    assert.equal(s.sandbox.receipts().length, 1);
  }));

test('a refused token is fiscal_unavailable (retried once the setting is fixed) saying so, and no message carries the token', () =>
  withSandbox(async (s, seen) => {
    const wrong = failureOf(await client(s.url, { token: `${TOKEN}-old` }).issue(RECEIPT), seen);
    assert.equal(wrong.code, 'fiscal_unavailable');
    assert.match(wrong.message, /refused the API token \(HTTP 401\)/);
    assert.ok(wrong.message.includes(s.url));
    const missing = failureOf(await client(s.url, { token: null }).issue(RECEIPT), seen);
    assert.equal(missing.code, 'fiscal_unavailable');
    assert.equal(s.sandbox.receipts().length, 0);
    assert.equal(JSON.stringify(seen).includes(`${TOKEN}-old`), false);
  }));

test('a slow answer is fiscal_unavailable (timeout); the resend finds the receipt the service already registered', () =>
  withSandbox(async (s, seen) => {
    s.sandbox.setSwitches({ delayMs: 1000 });
    const slow = failureOf(await client(s.url, { timeoutMs: 100 }).issue(RECEIPT), seen);
    assert.equal(slow.code, 'fiscal_unavailable');
    assert.equal(slow.message, `The fiscal service at ${s.url} did not answer in time.`);
    assert.deepEqual(slow.details, { reason: 'timeout' });
    // The service did the work; only the answer was lost.
    assert.equal(s.sandbox.receipts().length, 1);
    s.sandbox.setSwitches({});
    const resent = await client(s.url).issue(RECEIPT);
    assert.ok(resent.ok);
    assert.equal(resent.value.providerRef, s.sandbox.receipts()[0]!.id);
    assert.equal(s.sandbox.receipts().length, 1);
  }));

test('a refused connection is fiscal_unavailable (network, ECONNREFUSED)', async () => {
  const s = await startFiscalSandbox();
  const url = s.url;
  await s.close();
  const seen: Failure[] = [];
  const f = failureOf(await client(url).issue(RECEIPT), seen);
  assert.equal(f.code, 'fiscal_unavailable');
  assert.equal(f.message, `The fiscal service at ${url} could not be reached (ECONNREFUSED).`);
  assert.deepEqual(f.details, { reason: 'network' });
  assertClean(seen);
});

test('answers the sandbox never gives: 408 and 429 are unavailable, a malformed 2xx is unavailable, other 4xx rejected', async () => {
  const seen: Failure[] = [];
  const cases: [number, string, string, RegExp][] = [
    [408, '', 'fiscal_unavailable', /answered HTTP 408\.$/],
    [429, '{"error":{"code":"slow_down","message":"Too many"}}', 'fiscal_unavailable', /answered HTTP 429\.$/],
    [200, 'not json', 'fiscal_unavailable', /answered HTTP 200 without a receipt it issued/],
    [201, '{"id":"r1","external_id":"rcp_01","status":"issued"}', 'fiscal_unavailable', /without a receipt/],
    [
      201,
      '{"id":"r1","external_id":"rcp_99","status":"issued","fiscal_number":"1"}',
      'fiscal_unavailable',
      /without a receipt/,
    ],
    [
      202,
      '{"id":"r1","external_id":"rcp_01","status":"pending","fiscal_number":"1"}',
      'fiscal_unavailable',
      /without a receipt/,
    ],
    [302, '', 'fiscal_unavailable', /answered HTTP 302/],
    [404, '<html>nothing here</html>', 'fiscal_rejected', /refused the receipt \(HTTP 404\)\.$/],
  ];
  for (const [status, body, code, message] of cases) {
    const server = await answering(status, body);
    try {
      const f = failureOf(await client(server.url).issue(RECEIPT), seen);
      assert.equal(f.code, code, `${status} ${body}`);
      assert.match(f.message, message, `${status} ${body}`);
    } finally {
      await server.close();
    }
  }
  assertClean(seen);
});

test("the service's reason is put on one line, shortened, and blanked where it echoes the token", async () => {
  const seen: Failure[] = [];
  const message = `Bad header "Bearer ${TOKEN}"\n\tfor\x00 this receipt. ${'x'.repeat(1000)}`;
  const server = await answering(400, JSON.stringify({ error: { code: 'bad_request', message } }));
  try {
    const f = failureOf(await client(server.url).issue(RECEIPT), seen);
    assert.equal(f.code, 'fiscal_rejected');
    assert.ok(f.message.startsWith('Bad header "Bearer ***" for this receipt. xxx'), f.message);
    assert.ok(f.message.length <= 300);
    assert.doesNotMatch(f.message, /[\n\t\x00]/);
  } finally {
    await server.close();
  }
  assertClean(seen);
});

test('works against the sandbox mounted under a prefix in another server; the base URL may end with a slash', async () => {
  const sandbox = new FiscalSandbox({ token: TOKEN });
  const app = Fastify({ logger: false });
  app.setErrorHandler((_err, _req, reply) => reply.code(500).send({ host: 'error handler' }));
  await app.register(fiscalSandboxPlugin, { prefix: '/sandbox/fiscal', sandbox });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const r = await client(`${base}/sandbox/fiscal/`).issue(RECEIPT);
    assert.ok(r.ok);
    assert.equal(sandbox.receipts()[0]!.id, r.value.providerRef);
    // The sandbox's own error shape holds inside the host.
    const bad = await fetch(`${base}/sandbox/fiscal/api/v1/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_request');
  } finally {
    await app.close();
  }
});

test('a base URL that is not an http(s) URL is refused at creation, without echoing it', () => {
  for (const baseUrl of ['not a url', 'ftp://fiscal.example', `https://fiscal.example/?token=${TOKEN}`]) {
    assert.throws(
      () => createFiscalClient({ baseUrl, http: createHttpClient() }),
      (e: unknown) => e instanceof TypeError && !e.message.includes(TOKEN) && !e.message.includes('fiscal.example'),
    );
  }
});

test('an HTTP client that throws something else still gives a value, without its message', async () => {
  const c = createFiscalClient({
    baseUrl: 'https://fiscal.example/root',
    token: new Secret(TOKEN),
    http: {
      request: async () =>
        Promise.reject(new TypeError(`bad header Bearer ${TOKEN} for https://fiscal.example/root/api/v1/receipts`)),
    },
  });
  const seen: Failure[] = [];
  const f = failureOf(await c.issue(RECEIPT), seen);
  assert.equal(f.code, 'fiscal_unavailable');
  assert.equal(f.message, 'The fiscal service at https://fiscal.example could not be called (TypeError).');
  assertClean(seen);
});
