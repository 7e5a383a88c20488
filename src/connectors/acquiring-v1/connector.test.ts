import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ConnectorContext, RawRequest } from '../../ports/connector.js';
import type { HttpRequest, HttpResponse } from '../../ports/http-client.js';
import { ProviderUnreachable } from '../../ports/http-client.js';
import { connectorRegistry, getConnector } from '../registry.js';
import { acquiringV1 } from './connector.js';
import type { AcquiringV1Settings } from './settings.js';

const KEY = 'Pr1vate-Key-Zq7';
const raw = {
  shop_id: 'shop-42',
  private_key: KEY,
  payment_page_url: 'https://pay.example.test/p/[ShopID]/[OrderID]/[Amount]/[Hash]',
  api_base_url: 'https://api.example.test/',
};

function settings(over: Record<string, unknown> = {}): AcquiringV1Settings {
  const r = acquiringV1.parseSettings({ ...raw, ...over });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function settingsError(over: Record<string, unknown>): { code: string; message: string; field: unknown } {
  const r = acquiringV1.parseSettings({ ...raw, ...over });
  assert.equal(r.ok, false);
  if (r.ok) throw new Error('unreachable');
  return { code: r.error.code, message: r.error.message, field: r.error.details?.field };
}

// Independently computed with the shell:
//   printf '%s' 'Pr1vate-Key-Zq7;fd-1240;1500.00' | md5sum
//   printf '%s' 'Pr1vate-Key-Zq7;fd-1240;executed' | md5sum
//   printf '%s' 'Pr1vate-Key-Zq7;FD-1240;error#5001' | md5sum
const PAY_HASH = '3352c53a46521251c9b6068bbcc4b644';
const EXECUTED_HASH = '898718e57c2798ab9c4a1e2aa9fc1fff';
const ERROR_HASH_UPPER_ID = 'fc94393bc838fcf1374102043a5d911b';

function req(over: Partial<RawRequest> = {}): RawRequest {
  return { method: 'POST', headers: {}, rawQuery: '', body: Buffer.alloc(0), ...over };
}

function jsonCallback(
  body: unknown,
  headers: RawRequest['headers'] = { 'content-type': 'application/json' },
): RawRequest {
  return req({ headers, body: Buffer.from(JSON.stringify(body)) });
}

test('registry holds acquiring-v1', () => {
  assert.equal(connectorRegistry().get('acquiring-v1'), acquiringV1);
  assert.equal(getConnector('acquiring-v1'), acquiringV1);
  assert.equal(getConnector('nope'), undefined);
});

test('settings: valid input parses, the key is a Secret, the base URL loses its trailing slash', () => {
  const s = settings();
  assert.equal(s.shopId, 'shop-42');
  assert.equal(s.privateKey.reveal(), KEY);
  assert.equal(String(s.privateKey), '***');
  assert.equal(JSON.stringify(s).includes(KEY), false);
  assert.equal(inspect(s).includes(KEY), false);
  assert.equal(s.apiBaseUrl, 'https://api.example.test');
  assert.deepEqual(acquiringV1.secretFields, ['private_key']);
});

test('settings: schema carries the limits and forbids extra fields', () => {
  const schema = acquiringV1.settingsSchema as {
    additionalProperties: boolean;
    properties: Record<string, Record<string, unknown>>;
  };
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.properties.shop_id?.maxLength, 32);
  assert.equal(schema.properties.private_key?.maxLength, 128);
  assert.equal(schema.properties.payment_page_url?.default, 'https://HOST/p/[ShopID]/[OrderID]/[Amount]/[Hash]');
  assert.deepEqual(Object.keys(schema.properties).sort(), [
    'api_base_url',
    'payment_page_url',
    'private_key',
    'shop_id',
  ]);
});

test('settings: shop_id of 32 characters passes, 33 fails; private_key 128 passes, 129 fails', () => {
  assert.equal(settings({ shop_id: 's'.repeat(32) }).shopId.length, 32);
  const e1 = settingsError({ shop_id: 's'.repeat(33) });
  assert.equal(e1.code, 'settings_invalid');
  assert.equal(e1.field, 'shop_id');
  assert.match(e1.message, /shop_id/);

  assert.equal(settings({ private_key: 'k'.repeat(128) }).privateKey.reveal().length, 128);
  const longKey = 'k'.repeat(129);
  const e2 = settingsError({ private_key: longKey });
  assert.equal(e2.field, 'private_key');
  assert.match(e2.message, /private_key/);
  assert.equal(e2.message.includes(longKey), false);
});

test('settings: missing, empty and wrong-typed fields are refused naming the field, never showing the key', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ shop_id: undefined }, 'shop_id'],
    [{ shop_id: '' }, 'shop_id'],
    [{ shop_id: 'a b' }, 'shop_id'],
    [{ shop_id: 42 }, 'shop_id'],
    [{ private_key: undefined }, 'private_key'],
    [{ private_key: '' }, 'private_key'],
    [{ private_key: 12345 }, 'private_key'],
    [{ api_base_url: undefined }, 'api_base_url'],
    [{ api_base_url: 'ftp://api.example.test' }, 'api_base_url'],
    [{ api_base_url: 'not a url' }, 'api_base_url'],
    [{ api_base_url: 'https://api.example.test/?x=1' }, 'api_base_url'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [over, field] of cases) {
    const e = settingsError(over);
    assert.equal(e.code, 'settings_invalid');
    assert.equal(e.field, field, JSON.stringify(over));
    assert.equal(e.message.includes(KEY), false);
  }
});

test('settings: the payment page format must replace HOST, be http(s) and hold [OrderID], [Amount], [Hash]', () => {
  const defaulted = settingsError({ payment_page_url: undefined });
  assert.equal(defaulted.field, 'payment_page_url');
  assert.match(defaulted.message, /HOST/);
  assert.match(
    settingsError({ payment_page_url: 'https://HOST/p/[ShopID]/[OrderID]/[Amount]/[Hash]' }).message,
    /HOST/,
  );
  assert.match(
    settingsError({ payment_page_url: 'https://pay.example.test/p/[OrderID]/[Amount]' }).message,
    /\[Hash\]/,
  );
  assert.match(
    settingsError({ payment_page_url: 'https://pay.example.test/p/[Hash]' }).message,
    /\[OrderID\], \[Amount\]/,
  );
  assert.equal(settingsError({ payment_page_url: 'javascript:[OrderID][Amount][Hash]' }).field, 'payment_page_url');
  // [ShopID] is optional; placeholders may sit in the query.
  const s = settings({ payment_page_url: 'http://pay.example.test/pay?o=[OrderID]&a=[Amount]&h=[Hash]' });
  assert.equal(s.paymentPageUrl, 'http://pay.example.test/pay?o=[OrderID]&a=[Amount]&h=[Hash]');
});

test('settings: an already wrapped key is accepted', async () => {
  const { Secret } = await import('../../domain/secret.js');
  assert.equal(settings({ private_key: new Secret(KEY) }).privateKey.reveal(), KEY);
});

test('providerRef: attempt 1 is the reference as is, attempt n adds -n', () => {
  assert.deepEqual(acquiringV1.providerRef('FD-1240', 1), { ok: true, value: 'FD-1240' });
  assert.deepEqual(acquiringV1.providerRef('FD-1240', 2), { ok: true, value: 'FD-1240-2' });
  assert.deepEqual(acquiringV1.providerRef('fd-1240', 17), { ok: true, value: 'fd-1240-17' });
});

test('providerRef: references the acquirer cannot take are reference_invalid', () => {
  for (const [ref, n] of [
    ['fd 1240', 1],
    ['заказ-1', 1],
    ['', 1],
    ['x'.repeat(65), 1],
    ['x'.repeat(63), 2],
    ['fd_1', 1],
    ['ok', 0],
  ] as const) {
    const r = acquiringV1.providerRef(ref, n);
    assert.equal(r.ok, false, `${ref} ${n}`);
    if (!r.ok) assert.equal(r.error.code, 'reference_invalid');
  }
  const r = acquiringV1.providerRef('x'.repeat(62), 2);
  assert.equal(r.ok && r.value.length, 64);
  const r2 = acquiringV1.providerRef('x'.repeat(63), 2);
  assert.ok(!r2.ok && /retry suffix "-2"/.test(r2.error.message));
});

test('normalizeRef compares without case', () => {
  assert.equal(acquiringV1.normalizeRef('FD-1240-2'), acquiringV1.normalizeRef('fd-1240-2'));
});

const noHttp: ConnectorContext = {
  http: {
    request: async () => {
      throw new Error('startPayment must not call HTTP');
    },
  },
};

async function start(s: AcquiringV1Settings, providerRef: string, amount: number, currency: string) {
  return acquiringV1.startPayment(
    {
      settings: s,
      providerRef,
      amount,
      currency,
      callbackUrl: 'https://settle.test/cb',
      returnUrl: 'https://shop.test/r',
      orderReference: providerRef,
      description: `Order ${providerRef}`,
    },
    noHttp,
  );
}

test('startPayment builds the signed payment page URL, with no HTTP call', async () => {
  const r = await start(settings(), 'fd-1240', 150000, 'AMD');
  assert.ok(r.ok);
  assert.equal(r.value.next.type, 'redirect');
  assert.equal(r.value.next.url, `https://pay.example.test/p/shop-42/fd-1240/1500.00/${PAY_HASH}`);

  const jpy = await start(
    settings({ payment_page_url: 'https://pay.example.test/x?o=[OrderID]&a=[Amount]&h=[Hash]' }),
    'A-1',
    1500,
    'JPY',
  );
  assert.ok(jpy.ok);
  assert.match(jpy.value.next.url, /^https:\/\/pay\.example\.test\/x\?o=A-1&a=1500&h=[0-9a-f]{32}$/);
});

test('startPayment URL-encodes every value', async () => {
  const r = await start(settings({ shop_id: 'a/b?c&$1' }), 'fd-1', 100, 'USD');
  assert.ok(r.ok);
  assert.ok(r.value.next.url.startsWith('https://pay.example.test/p/a%2Fb%3Fc%26%241/fd-1/1.00/'), r.value.next.url);
});

test('startPayment refuses an OrderID or amount the acquirer cannot take', async () => {
  const bad = await start(settings(), 'fd 1', 100, 'USD');
  assert.ok(!bad.ok && bad.error.code === 'reference_invalid');
  for (const [amount, currency] of [
    [0, 'USD'],
    [-5, 'USD'],
    [1.5, 'USD'],
    [100, 'ZZZ'],
  ] as const) {
    const r = await start(settings(), 'fd-1', amount, currency);
    assert.ok(!r.ok && r.error.code === 'amount_invalid', `${amount} ${currency}`);
  }
});

test('parseCallback: a signed JSON callback is read into a ProviderEvent', () => {
  const s = settings();
  const r = acquiringV1.parseCallback(
    s,
    jsonCallback({ order_id: 'fd-1240', status: 'executed', hash: EXECUTED_HASH }),
  );
  assert.deepEqual(r, {
    ok: true,
    value: {
      kind: 'payment',
      event: { providerRef: 'fd-1240', status: 'succeeded', providerStatus: 'executed', errorCode: null },
    },
  });
  // Upper-case hex is the same signature; a JSON body without content-type is sniffed.
  const upper = acquiringV1.parseCallback(
    s,
    jsonCallback({ order_id: 'fd-1240', status: 'executed', hash: EXECUTED_HASH.toUpperCase() }, {}),
  );
  assert.equal(upper.ok, true);
});

test('parseCallback: error#NNNN carries its code; an undocumented status is read with status null', () => {
  const s = settings();
  const err = acquiringV1.parseCallback(
    s,
    jsonCallback({ order_id: 'FD-1240', status: 'error#5001', hash: ERROR_HASH_UPPER_ID }),
  );
  assert.deepEqual(err, {
    ok: true,
    value: {
      kind: 'payment',
      event: { providerRef: 'FD-1240', status: 'failed', providerStatus: 'error#5001', errorCode: '5001' },
    },
  });
  const odd = acquiringV1.parseCallback(
    s,
    jsonCallback({ order_id: 'fd-1240', status: 'EXECUTED', hash: sign('fd-1240', 'EXECUTED') }),
  );
  assert.deepEqual(odd, {
    ok: true,
    value: {
      kind: 'payment',
      event: { providerRef: 'fd-1240', status: null, providerStatus: 'EXECUTED', errorCode: null },
    },
  });
});

test('parseCallback: the same fields as a form body or a GET query string', () => {
  const s = settings();
  const form = req({
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(`order_id=fd-1240&status=executed&hash=${EXECUTED_HASH}`),
  });
  assert.equal(acquiringV1.parseCallback(s, form).ok, true);
  const get = req({ method: 'GET', rawQuery: `order_id=fd-1240&status=executed&hash=${EXECUTED_HASH}` });
  const r = acquiringV1.parseCallback(s, get);
  assert.ok(r.ok && r.value.kind === 'payment');
  assert.equal(r.value.event.status, 'succeeded');
  // error#NNNN must be percent-encoded in a form ("#" ends a URL's query).
  const enc = req({ method: 'GET', rawQuery: `order_id=FD-1240&status=error%235001&hash=${ERROR_HASH_UPPER_ID}` });
  const re = acquiringV1.parseCallback(s, enc);
  assert.ok(re.ok && re.value.kind === 'payment' && re.value.event.errorCode === '5001');
});

test('parseCallback: a forged or foreign-key signature is callback_signature_invalid', () => {
  const s = settings();
  const cases = [
    { order_id: 'fd-1240', status: 'executed', hash: 'ffffffffffffffffffffffffffffffff' },
    { order_id: 'fd-1240', status: 'canceled', hash: EXECUTED_HASH },
    { order_id: 'fd-1241', status: 'executed', hash: EXECUTED_HASH },
    { order_id: 'FD-1240', status: 'executed', hash: EXECUTED_HASH },
    { order_id: 'fd-1240', status: 'executed', hash: EXECUTED_HASH.slice(0, 31) },
    { order_id: 'fd-1240', status: 'executed', hash: 'not hex at all' },
  ];
  for (const c of cases) {
    const r = acquiringV1.parseCallback(s, jsonCallback(c));
    assert.ok(!r.ok && r.error.code === 'callback_signature_invalid', JSON.stringify(c));
  }
  const other = settings({ private_key: 'another-key' });
  const r = acquiringV1.parseCallback(
    other,
    jsonCallback({ order_id: 'fd-1240', status: 'executed', hash: EXECUTED_HASH }),
  );
  assert.ok(!r.ok && r.error.code === 'callback_signature_invalid');
});

test('parseCallback: malformed inputs are callback_malformed', () => {
  const s = settings();
  const long = 'x'.repeat(257);
  const bodies: (string | Buffer)[] = [
    '{',
    '[]',
    'null',
    '"text"',
    JSON.stringify({ order_id: 'fd-1240', status: 'executed' }),
    JSON.stringify({ order_id: 1240, status: 'executed', hash: EXECUTED_HASH }),
    JSON.stringify({ order_id: 'fd-1240', status: long, hash: EXECUTED_HASH }),
    JSON.stringify({ order_id: 'fd-1240', status: 'executed', hash: long }),
    JSON.stringify({ order_id: 'fd 1240', status: 'executed', hash: EXECUTED_HASH }),
    JSON.stringify({ order_id: 'fd-1240', status: '', hash: EXECUTED_HASH }),
    `order_id=fd-1240&order_id=fd-1241&status=executed&hash=${EXECUTED_HASH}`,
    'status=executed',
    Buffer.from([0xff, 0xfe, 0x7b]),
    Buffer.alloc(64 * 1024 + 1, 0x20),
  ];
  for (const body of bodies) {
    const r = acquiringV1.parseCallback(s, req({ body: Buffer.isBuffer(body) ? body : Buffer.from(body) }));
    assert.ok(!r.ok && r.error.code === 'callback_malformed', String(body).slice(0, 60));
  }
  const empty = acquiringV1.parseCallback(s, req({ method: 'GET' }));
  assert.ok(!empty.ok && empty.error.code === 'callback_malformed');
  // A JSON content type with a form body is not guessed at.
  const mislabeled = req({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(`order_id=fd-1240&status=executed&hash=${EXECUTED_HASH}`),
  });
  assert.equal(acquiringV1.parseCallback(s, mislabeled).ok, false);
});

test('parseCallback never throws, whatever the bytes, headers, method or query', () => {
  const s = settings();
  const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
  const headers = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 20 }), headerValue, { maxKeys: 5 }),
    fc.record({
      'content-type': fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        '',
        'application/json; charset=x',
      ),
    }),
  );
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
    fc.json().map((j) => Buffer.from(j)),
    fc
      .record(
        { order_id: fc.string(), status: fc.string(), hash: fc.oneof(fc.string(), fc.constant(EXECUTED_HASH)) },
        { requiredKeys: [] },
      )
      .map((o) => Buffer.from(JSON.stringify(o))),
  );
  fc.assert(
    fc.property(fc.string(), headers, fc.string(), body, (method, h, rawQuery, b) => {
      const r = acquiringV1.parseCallback(s, { method, headers: h, rawQuery, body: b });
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(['callback_malformed', 'callback_signature_invalid'].includes(r.error.code));
      const red = acquiringV1.redactCallback({ method, headers: h, rawQuery, body: b });
      assert.equal(typeof red.body, 'string');
    }),
    { numRuns: 500 },
  );
});

test('parseCallback accepts any validly signed callback and rejects it with one character changed', () => {
  const s = settings();
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
      fc.constantFrom('executed', 'opened', 'canceled', 'error#1', 'odd'),
      (orderId, status) => {
        const hash = sign(orderId, status);
        const r = acquiringV1.parseCallback(s, jsonCallback({ order_id: orderId, status, hash }));
        assert.ok(r.ok && r.value.kind === 'payment');
        assert.ok(r.value.event.providerRef === orderId && r.value.event.providerStatus === status);
        const flipped = `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}`;
        const bad = acquiringV1.parseCallback(s, jsonCallback({ order_id: orderId, status, hash: flipped }));
        assert.ok(!bad.ok && bad.error.code === 'callback_signature_invalid');
      },
    ),
  );
});

test('redactCallback: drops credentials, masks the hash in query and body, joins header arrays', () => {
  const red = acquiringV1.redactCallback(
    req({
      headers: {
        authorization: 'Bearer x',
        cookie: 'sid=1',
        'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
        'content-type': 'application/json',
        skip: undefined,
      },
      rawQuery: `a=1&hash=${EXECUTED_HASH}&h%61sh=${EXECUTED_HASH}`,
      body: Buffer.from(JSON.stringify({ order_id: 'fd-1240', status: 'executed', hash: EXECUTED_HASH })),
    }),
  );
  assert.deepEqual(red.headers, { 'x-forwarded-for': '1.1.1.1, 2.2.2.2', 'content-type': 'application/json' });
  assert.equal(red.query, 'a=1&hash=***&h%61sh=***');
  assert.deepEqual(JSON.parse(red.body), { order_id: 'fd-1240', status: 'executed', hash: '***' });
  assert.equal(red.method, 'POST');

  const form = acquiringV1.redactCallback(
    req({ body: Buffer.from(`order_id=fd-1240&status=executed&hash=${EXECUTED_HASH}`) }),
  );
  assert.equal(form.body, 'order_id=fd-1240&status=executed&hash=***');

  const broken = acquiringV1.redactCallback(
    req({
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(`{"order_id":"fd-1240","hash":"${EXECUTED_HASH}`),
    }),
  );
  assert.equal(broken.body.includes(EXECUTED_HASH), false);
  assert.match(broken.body, /fd-1240/);

  const huge = acquiringV1.redactCallback(req({ body: Buffer.alloc(100_000, 0x7a) }));
  assert.equal(huge.body.length, 2048);
});

test('redaction never contains the private key or the hash', () => {
  const s = settings();
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
      fc.constantFrom('executed', 'opened', 'error#5001'),
      fc.constantFrom('json', 'form', 'query', 'truncated'),
      fc.nat(200),
      (orderId, status, shape, cut) => {
        const hash = sign(orderId, status);
        const fields = { order_id: orderId, status, hash };
        const json = JSON.stringify(fields);
        const form = new URLSearchParams(fields).toString();
        const r =
          shape === 'json'
            ? jsonCallback(fields)
            : shape === 'form'
              ? req({ body: Buffer.from(form) })
              : shape === 'query'
                ? req({ method: 'GET', rawQuery: form })
                : req({ body: Buffer.from(json.slice(0, json.length - (cut % 3))) }); // drop 0..2 closing characters: unparseable JSON
        if (shape !== 'truncated') assert.equal(acquiringV1.parseCallback(s, r).ok, true);
        const text = JSON.stringify(acquiringV1.redactCallback(r));
        assert.equal(text.includes(hash), false);
        assert.equal(text.includes(KEY), false);
      },
    ),
  );
});

test('callbackAcknowledgement is 200 {"status":"ok"}', () => {
  assert.deepEqual(acquiringV1.callbackResponse({ kind: 'committed', outcome: 'applied' }), {
    status: 200,
    contentType: 'application/json',
    body: '{"status":"ok"}',
  });
});

function fakeHttp(answer: (req: HttpRequest) => HttpResponse | Error): { ctx: ConnectorContext; seen: HttpRequest[] } {
  const seen: HttpRequest[] = [];
  return {
    seen,
    ctx: {
      http: {
        request: async (r) => {
          seen.push(r);
          const a = answer(r);
          if (a instanceof Error) throw a;
          return a;
        },
      },
    },
  };
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('checkStatus GETs checkorder and maps the status', async () => {
  const { ctx, seen } = fakeHttp(() => json(200, { status: 'executed' }));
  const r = await acquiringV1.checkStatus!(
    settings(),
    { providerRef: 'FD-1240', amount: 150000, currency: 'AMD' },
    ctx,
  );
  assert.deepEqual(r, {
    ok: true,
    value: { providerRef: 'FD-1240', status: 'succeeded', providerStatus: 'executed', errorCode: null },
  });
  assert.equal(seen[0]?.method, 'GET');
  assert.equal(seen[0]?.url, 'https://api.example.test/api/v1/checkorder/shop-42/FD-1240');
});

test('cancel GETs cancelorder with the order signature; a refusal is provider_error', async () => {
  const { ctx, seen } = fakeHttp(() => json(200, { status: 'canceled' }));
  const r = await acquiringV1.cancel!(settings(), { providerRef: 'fd-1240', amount: 150000, currency: 'AMD' }, ctx);
  assert.deepEqual(r, {
    ok: true,
    value: { providerRef: 'fd-1240', status: 'canceled', providerStatus: 'canceled', errorCode: null },
  });
  assert.equal(seen[0]?.url, `https://api.example.test/api/v1/cancelorder/shop-42/fd-1240/${PAY_HASH}`);

  const refused = fakeHttp(() => json(200, { status: 'error#1003' }));
  const r2 = await acquiringV1.cancel!(
    settings(),
    { providerRef: 'fd-1240', amount: 150000, currency: 'AMD' },
    refused.ctx,
  );
  assert.ok(!r2.ok);
  assert.equal(r2.error.code, 'provider_error');
  assert.equal(r2.error.details?.errorCode, '1003');
});

test('checkStatus and cancel: unreachable and invalid answers are failures whose messages hide the URL', async () => {
  const s = settings();
  const input = { providerRef: 'fd-1240', amount: 150000, currency: 'AMD' };
  const cases: [HttpResponse | Error, string][] = [
    [new ProviderUnreachable('timeout', 'GET https://api.example.test/...: no answer'), 'provider_unreachable'],
    [new ProviderUnreachable('network', 'GET https://api.example.test/...: network error'), 'provider_unreachable'],
    [json(500, { status: 'executed' }), 'provider_answer_invalid'],
    [json(302, {}), 'provider_answer_invalid'],
    [{ status: 200, headers: {}, body: 'OK' }, 'provider_answer_invalid'],
    [json(200, { state: 'executed' }), 'provider_answer_invalid'],
    [json(200, { status: 7 }), 'provider_answer_invalid'],
    [json(200, ['executed']), 'provider_answer_invalid'],
  ];
  for (const [answer, code] of cases) {
    for (const call of [acquiringV1.checkStatus!, acquiringV1.cancel!]) {
      const r = await call(s, input, fakeHttp(() => answer).ctx);
      assert.ok(!r.ok, code);
      assert.equal(r.error.code, code);
      assert.equal(r.error.message.includes(PAY_HASH), false);
      assert.equal(r.error.message.includes('http'), false, r.error.message);
    }
  }
  const five = await acquiringV1.checkStatus!(s, input, fakeHttp(() => json(503, {})).ctx);
  assert.ok(!five.ok && /HTTP 503/.test(five.error.message));
});

function sign(orderId: string, status: string): string {
  // An independent md5 through node:crypto (not the code under test) for generated cases.
  return md5(`${KEY};${orderId};${status}`);
}

function md5(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}
