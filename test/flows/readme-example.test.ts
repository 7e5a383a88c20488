import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

// The README's API example, run as written against the demo (what `npm start` serves): only the
// store key it prints and the server's address are filled in.

const run = promisify(execFile);
let server: DemoServer;
before(async () => {
  server = await startDemoServer();
});
after(() => server.close());

/** The first sh block under "### Example" in the README. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Example\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has an example');
  return block;
}

test('the README example creates an order, starts a payment and reads the order back', async () => {
  const script = readmeExample();
  assert.match(script, /^KEY=stl_…/m);
  assert.match(script, /^BASE=http:\/\/localhost:3000$/m);
  const filled = script
    .replace(/^KEY=stl_….*$/m, `KEY=${server.demo.storeKey!}`)
    .replace(/^BASE=.*$/m, `BASE=${server.url}`);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', filled], { timeout: 30_000 });
  // Two answers, one per line of output: the payment, then the order.
  const [payment, order] = stdout
    .trim()
    .split(/\n|(?<=\})(?=\{"id")/)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(payment && order);
  const pm = server.demo.methods.find((m) => m.currency === 'AMD')!;
  assert.equal(payment.payment_method_id, pm.paymentMethodId);
  assert.equal(payment.status, 'created');
  assert.match(String((payment.next_step as { url: string }).url), /^http:\/\/127\.0\.0\.1:\d+\/sandbox\//);
  assert.equal(order.reference, '1001');
  assert.equal(order.amount, 500000);
  assert.equal(order.status, 'pending_payment');
  assert.equal((order.payments as { id: string }[])[0]!.id, payment.id);
});

test('a store key lists the methods it may offer, without their settings', async () => {
  const auth = { authorization: `Bearer ${server.demo.storeKey!}` };
  const all = (await (await fetch(`${server.url}/v1/payment-methods`, { headers: auth })).json()) as {
    data: Record<string, unknown>[];
  };
  assert.equal(all.data.length, server.demo.methods.length);
  for (const m of all.data) {
    assert.deepEqual(Object.keys(m).sort(), [
      'connector',
      'currencies',
      'enabled',
      'id',
      'max_amount',
      'min_amount',
      'name',
    ]);
  }
  const rub = (await (
    await fetch(`${server.url}/v1/payment-methods?currency=RUB&amount=100000`, { headers: auth })
  ).json()) as { data: { id: string }[] };
  const takesRub = all.data.filter((m) => m.currencies === null || (m.currencies as string[]).includes('RUB'));
  assert.ok(takesRub.length < all.data.length, 'some demo method does not take roubles');
  assert.deepEqual(rub.data.map((m) => m.id).sort(), takesRub.map((m) => m.id as string).sort());
  const bad = await fetch(`${server.url}/v1/payment-methods?currency=rub`, { headers: auth });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, 'invalid_request');
});
