import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REJECT_MESSAGE, startFiscalSandbox, type RunningFiscalSandbox } from './fiscal-sandbox.js';

const TOKEN = 'fiscal-token-7f3a';

function receipt(over: Record<string, unknown> = {}) {
  return {
    external_id: 'rcp_1',
    kind: 'sale',
    order_reference: 'FD-1240',
    currency: 'AMD',
    total: 150000,
    items: [
      { name: 'Tea', quantity: 2, amount: 100000 },
      { name: 'Shipping', quantity: 1, amount: 50000 },
    ],
    customer_email: 'ann@example.com',
    ...over,
  };
}

async function call(
  s: RunningFiscalSandbox,
  path: string,
  opts: { body?: unknown; raw?: string; token?: string | null; method?: string } = {},
) {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const res = await fetch(`${s.url}${path}`, {
    method: opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    },
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function withSandbox(
  fn: (s: RunningFiscalSandbox) => Promise<void>,
  opts: { token?: string } = { token: TOKEN },
) {
  const s = await startFiscalSandbox(opts);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

test('issues a receipt: 201 with its id and fiscal number; GET returns it; the sandbox keeps what was sent', () =>
  withSandbox(async (s) => {
    const r = await call(s, '/api/v1/receipts', { body: receipt() });
    assert.equal(r.status, 201);
    const body = r.json!;
    assert.deepEqual(Object.keys(body).sort(), [
      'currency',
      'external_id',
      'fiscal_number',
      'id',
      'issued_at',
      'kind',
      'status',
      'total',
    ]);
    assert.equal(body.external_id, 'rcp_1');
    assert.equal(body.status, 'issued');
    assert.equal(body.kind, 'sale');
    assert.equal(body.total, 150000);
    assert.equal(body.currency, 'AMD');
    assert.match(body.fiscal_number, /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(body.issued_at)));

    const got = await call(s, `/api/v1/receipts/${body.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, body);
    assert.equal((await call(s, '/api/v1/receipts/nope')).status, 404);

    const [kept] = s.sandbox.receipts();
    assert.deepEqual(kept, {
      ...body,
      order_reference: 'FD-1240',
      items: receipt().items,
      customer_email: 'ann@example.com',
    });
    assert.equal(s.sandbox.requests(), 1);
  }));

test('idempotent by external_id: a resend returns the same receipt with 200 and registers nothing new', () =>
  withSandbox(async (s) => {
    const first = await call(s, '/api/v1/receipts', { body: receipt() });
    const again = await call(s, '/api/v1/receipts', { body: receipt() });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, first.json);
    assert.equal(s.sandbox.receipts().length, 1);
    assert.equal(s.sandbox.requests(), 2);

    // The same id on other content is the caller's bug, not a new receipt.
    const changed = await call(s, '/api/v1/receipts', {
      body: receipt({ total: 100000, items: [{ name: 'Tea', quantity: 2, amount: 100000 }] }),
    });
    assert.equal(changed.status, 409);
    assert.equal(changed.json!.error.code, 'external_id_conflict');

    const other = await call(s, '/api/v1/receipts', { body: receipt({ external_id: 'rcp_2', kind: 'refund' }) });
    assert.equal(other.status, 201);
    assert.notEqual(other.json!.id, first.json!.id);
    assert.notEqual(other.json!.fiscal_number, first.json!.fiscal_number);
    assert.deepEqual(
      s.sandbox.receipts().map((r) => r.external_id),
      ['rcp_1', 'rcp_2'],
    );
  }));

test('a missing or wrong token is 401 and registers nothing; without a configured token none is asked', async () => {
  await withSandbox(async (s) => {
    for (const token of [null, 'wrong', `${TOKEN}x`]) {
      const r = await call(s, '/api/v1/receipts', { body: receipt(), token });
      assert.equal(r.status, 401, String(token));
      assert.equal(r.json!.error.code, 'unauthorized');
      assert.equal(r.text.includes(TOKEN), false);
    }
    const basic = await fetch(`${s.url}/api/v1/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${TOKEN}` },
      body: JSON.stringify(receipt()),
    });
    assert.equal(basic.status, 401);
    assert.equal(s.sandbox.receipts().length, 0);
    const ok = await call(s, '/api/v1/receipts', { body: receipt() });
    assert.equal(ok.status, 201);
    assert.equal((await call(s, `/api/v1/receipts/${ok.json!.id}`, { token: 'wrong' })).status, 401);
  });
  await withSandbox(async (s) => {
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt(), token: null })).status, 201);
  }, {});
});

test('invalid content is 422 invalid_receipt with a reason, and registers nothing', () =>
  withSandbox(async (s) => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['total is not the sum', { total: 150001 }, /sum of the item amounts, 150000/],
      ['unknown kind', { kind: 'return' }, /kind/],
      ['unknown currency', { currency: 'XYZ' }, /currency/],
      ['total as text', { total: '150000' }, /total/],
      ['fractional total', { total: 1500.5 }, /total/],
      ['negative item', { total: 0, items: [{ name: 'A', quantity: 1, amount: -1 }] }, /amount/],
      ['zero quantity', { items: [{ name: 'A', quantity: 0, amount: 150000 }] }, /quantity/],
      ['no items', { total: 0, items: [] }, /items/],
      ['item with an extra field', { items: [{ name: 'A', quantity: 1, amount: 150000, vat: 20 }] }, /items\[0\]/],
      ['empty external_id', { external_id: '' }, /external_id/],
      ['missing order_reference', { order_reference: undefined }, /order_reference/],
      ['bad e-mail', { customer_email: 'nobody' }, /customer_email/],
      ['unknown field', { orderReference: 'x' }, /Unknown field "orderReference"/],
    ];
    for (const [what, over, reason] of cases) {
      const r = await call(s, '/api/v1/receipts', { body: receipt(over) });
      assert.equal(r.status, 422, what);
      assert.equal(r.json!.error.code, 'invalid_receipt', what);
      assert.match(r.json!.error.message, reason, what);
    }
    assert.equal((await call(s, '/api/v1/receipts', { body: [receipt()] })).status, 422);
    assert.equal(s.sandbox.receipts().length, 0);

    const notJson = await call(s, '/api/v1/receipts', { raw: '{"external_id":' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json!.error.code, 'invalid_request');
    const text = await fetch(`${s.url}/api/v1/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
      body: 'x',
    });
    assert.equal(text.status, 415);
    assert.equal(((await text.json()) as { error: { code: string } }).error.code, 'unsupported_media_type');
  }));

test('fail: reject answers 422 receipt_rejected and unavailable 503, until switched off; neither registers', () =>
  withSandbox(async (s) => {
    s.sandbox.setSwitches({ fail: 'reject' });
    for (const id of ['a', 'b']) {
      const r = await call(s, '/api/v1/receipts', { body: receipt({ external_id: id }) });
      assert.equal(r.status, 422);
      assert.deepEqual(r.json, { error: { code: 'receipt_rejected', message: REJECT_MESSAGE } });
    }
    s.sandbox.setSwitches({ fail: 'unavailable' });
    const down = await call(s, '/api/v1/receipts', { body: receipt() });
    assert.equal(down.status, 503);
    assert.equal(down.json!.error.code, 'service_unavailable');
    assert.equal(s.sandbox.receipts().length, 0);
    s.sandbox.setSwitches({});
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 201);
    assert.equal(s.sandbox.requests(), 4);
  }));

test('failTimes fails only the next N registrations, then the service behaves; a refused token does not use one up', () =>
  withSandbox(async (s) => {
    s.sandbox.setSwitches({ fail: 'unavailable', failTimes: 2, delayMs: 1 });
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt(), token: 'wrong' })).status, 401);
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 503);
    assert.deepEqual(s.sandbox.switches, { fail: 'unavailable', failTimes: 1, delayMs: 1 });
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 503);
    assert.deepEqual(s.sandbox.switches, { delayMs: 1 });
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 201);
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 200);
    assert.equal(s.sandbox.receipts().length, 1);
  }));

test('delayMs holds the answer, not the work: the receipt is registered while its answer waits', () =>
  withSandbox(async (s) => {
    s.sandbox.setSwitches({ delayMs: 300 });
    const started = Date.now();
    const pending = call(s, '/api/v1/receipts', { body: receipt() });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(s.sandbox.receipts().length, 1);
    const r = await pending;
    assert.equal(r.status, 201);
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
  }));

test('closing releases held answers at once', async () => {
  const s = await startFiscalSandbox();
  s.sandbox.setSwitches({ delayMs: 60_000 });
  const pending = fetch(`${s.url}/api/v1/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(receipt()),
  }).then(
    (res) => res.status,
    () => 'closed',
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await s.close();
  const outcome = await pending;
  assert.ok(outcome === 201 || outcome === 'closed', String(outcome));
  assert.ok(Date.now() - started < 2000);
});

test('control routes: switches, receipts and reset over HTTP, open without the token', () =>
  withSandbox(async (s) => {
    const set = await call(s, '/_sandbox/switches', { body: { fail: 'reject', failTimes: 1 }, token: null });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { fail: 'reject', failTimes: 1 });
    for (const bad of [{ fail: 'explode' }, { failTimes: 0 }, { delayMs: -1 }, { delay: 5 }, [1]]) {
      const r = await call(s, '/_sandbox/switches', { body: bad, token: null });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.json!.error.code, 'invalid_switches');
    }
    assert.throws(() => s.sandbox.setSwitches({ failTimes: 1.5 }), /failTimes/);
    assert.deepEqual(s.sandbox.switches, { fail: 'reject', failTimes: 1 });
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 422);
    assert.equal((await call(s, '/api/v1/receipts', { body: receipt() })).status, 201);

    const listed = await call(s, '/_sandbox/receipts', { token: null });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json, s.sandbox.receipts());

    assert.equal((await call(s, '/_sandbox/reset', { method: 'POST', token: null })).status, 204);
    assert.deepEqual(s.sandbox.receipts(), []);
    assert.equal(s.sandbox.requests(), 0);
    assert.deepEqual(s.sandbox.switches, {});
  }));
