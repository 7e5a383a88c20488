import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

// The published API, proven the way a store developer would use it: TypeScript types generated
// from /openapi.json by openapi-typescript, a client on openapi-fetch that type-checks against
// them, and that client run against the server.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
let server: DemoServer;
let doc: {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  servers?: { url: string }[];
  components: { securitySchemes: { bearer: { description: string } } };
};
let dir: string;
before(async () => {
  server = await startDemoServer();
  doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as typeof doc;
  // Inside the project, so the client resolves openapi-fetch from its node_modules.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.tmp', 'openapi-client-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

test('the document holds the API alone, names its server and every scope', () => {
  const paths = Object.keys(doc.paths);
  assert.ok(paths.length > 20);
  for (const p of paths) assert.match(p, /^\/(v1\/|health$|ready$)/, `${p} is not part of the API`);
  assert.deepEqual(doc.servers, [{ url: server.url }]);
  for (const scope of ['store', 'accounting', 'admin'])
    assert.match(doc.components.securitySchemes.bearer.description, new RegExp(`\`${scope}\``));
  for (const [p, ops] of Object.entries(doc.paths)) {
    if (!p.startsWith('/v1/') || p.startsWith('/v1/public/')) continue;
    for (const [verb, op] of Object.entries(ops)) {
      const scopes = op.security?.[0]?.bearer;
      assert.ok(scopes && scopes.length > 0, `${verb.toUpperCase()} ${p} names the scopes that may call it`);
    }
  }
  assert.deepEqual(doc.paths['/v1/payment-methods']!.get!.security, [{ bearer: ['store', 'admin'] }]);
  assert.deepEqual(doc.paths['/v1/reconciliation/runs']!.get!.security, [{ bearer: ['accounting', 'admin'] }]);
});

const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const client = createClient<paths>({
  baseUrl: process.env.BASE!,
  headers: { authorization: \`Bearer \${process.env.KEY!}\` },
});
const methods = await client.GET('/v1/payment-methods', { params: { query: { currency: 'AMD' } } });
if (!methods.data) throw new Error(\`payment methods: \${JSON.stringify(methods.error)}\`);
const pm = methods.data.data[0]!.id;
const created = await client.POST('/v1/orders', {
  headers: { 'idempotency-key': 'typed-1001' },
  body: {
    reference: 'typed-1001',
    currency: 'AMD',
    lines: [{ sku: 'JAM', name: 'Jam', quantity: 2, unit_amount: 250000 }],
  },
});
if (!created.data) throw new Error(\`order: \${JSON.stringify(created.error)}\`);
const orderId: string = created.data.id;
const payment = await client.POST('/v1/orders/{id}/payments', {
  params: { path: { id: orderId } },
  body: { payment_method_id: pm },
});
if (!payment.data) throw new Error(\`payment: \${JSON.stringify(payment.error)}\`);
const order = await client.GET('/v1/orders/{id}', { params: { path: { id: orderId } } });
const unknown = await client.GET('/v1/orders/{id}', { params: { path: { id: 'ord_nope' } } });
console.log(JSON.stringify({ pm, payment: payment.data, order: order.data, unknown: unknown.error }));
`;

// The same call with an amount as a string: the generated types must refuse it.
const WRONG = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:9' });
await client.POST('/v1/orders', { body: { reference: 'x', currency: 'AMD', amount: '2500' } });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
};

async function typecheck(file: string): Promise<{ ok: boolean; output: string }> {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['api.d.ts', file] }));
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { timeout: 120_000 });
    return { ok: true, output: '' };
  } catch (e) {
    return { ok: false, output: String((e as { stdout?: string }).stdout ?? e) };
  }
}

test('types generated from the document drive a typed client: order, payment, order read back', async () => {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(doc as never)));
  writeFileSync(join(dir, 'client.ts'), CLIENT);
  writeFileSync(join(dir, 'wrong.ts'), WRONG);

  const checked = await typecheck('client.ts');
  assert.ok(checked.ok, `the client type-checks against the generated types:\n${checked.output}`);
  const wrong = await typecheck('wrong.ts');
  assert.equal(wrong.ok, false, 'an amount as a string does not type-check');
  assert.match(wrong.output, /wrong\.ts.*amount|string.*number/s);

  const env: NodeJS.ProcessEnv = { ...process.env, BASE: server.url, KEY: server.demo.storeKey! };
  delete env.NODE_TEST_CONTEXT;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(dir, 'client.ts')], {
    cwd: ROOT,
    env,
    timeout: 60_000,
  });
  const out = JSON.parse(stdout) as {
    pm: string;
    payment: { order_id: string; status: string; next_step: { url: string } };
    order: { id: string; status: string; amount: number; payments: { id: string }[] };
    unknown: { statusCode: number; code: string };
  };
  assert.ok(server.demo.methods.some((m) => m.paymentMethodId === out.pm));
  assert.equal(out.payment.status, 'created');
  assert.equal(out.payment.order_id, out.order.id);
  assert.equal(out.order.status, 'pending_payment');
  assert.equal(out.order.amount, 500000);
  assert.equal(out.order.payments.length, 1);
  assert.deepEqual([out.unknown.statusCode, out.unknown.code], [404, 'order_not_found']);
});
