import assert from 'node:assert/strict';
import { createHmac, sign } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RawRequest } from '../../ports/connector.js';
import { arca } from './connector.js';
import { sandboxKeys } from './sandbox-keys.js';
import { PASSWORD, req, settings } from './test-support.test.js';

// BPC's published example (dev.bpcbt.com "Callback notifications"; providers.md §11).
const HMAC_KEY = 'ooc7slpvc61k7sf7ma7p4hrefr';
const MD_ORDER = '06cf5599-3f17-7c86-bdbc-bd7d00a8b38b';
const QUERY = `mdOrder=${MD_ORDER}&operation=approved&orderNumber=2003&status=1`;
const CHECKSUM = 'EAF2FB72CAB99FD5067F4BA493DD84F4D79C1589FDE8ED29622F0F07215AA972';
const KEYS = sandboxKeys();

const hmacSettings = () => settings({ callback_hmac_key: HMAC_KEY });
const rsaSettings = () => settings({ callback_public_key: KEYS.certificatePem });
const trigger = (verified: boolean, status = 'approved:1') => ({
  ok: true,
  value: { kind: 'trigger', providerRef: MD_ORDER, providerStatus: status, verified },
});

/** Independent of the code under test: sorted name;value; pairs, HMAC-SHA256 or RSA-SHA512. */
function signed(params: Record<string, string>, how: 'hmac' | 'rsa'): string {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k};${params[k]};`)
    .join('');
  const checksum =
    how === 'hmac'
      ? createHmac('sha256', HMAC_KEY).update(text).digest('hex').toUpperCase()
      : sign('sha512', Buffer.from(text), KEYS.privateKey).toString('hex');
  return new URLSearchParams({ ...params, checksum, ...(how === 'rsa' && { sign_alias: 'gw-key-1' }) }).toString();
}

test("a GET callback with BPC's published checksum is a verified trigger for mdOrder", () => {
  const r = arca.parseCallback(hmacSettings(), req({ rawQuery: `${QUERY}&checksum=${CHECKSUM}` }));
  assert.deepEqual(r, trigger(true));
  // Lower-case hex, parameters in another order, a POSTed form: the same callback.
  const lower = `status=1&checksum=${CHECKSUM.toLowerCase()}&orderNumber=2003&operation=approved&mdOrder=${MD_ORDER}`;
  assert.deepEqual(arca.parseCallback(hmacSettings(), req({ rawQuery: lower })), trigger(true));
  const form = req({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(`${QUERY}&checksum=${CHECKSUM}`),
  });
  assert.deepEqual(arca.parseCallback(hmacSettings(), form), trigger(true));
});

test('with a key set, a callback without a valid checksum is callback_signature_invalid', () => {
  const s = hmacSettings();
  for (const q of [
    QUERY,
    `${QUERY}&checksum=`,
    `${QUERY}&checksum=${'0'.repeat(64)}`,
    `${QUERY}&checksum=${CHECKSUM.slice(0, 63)}`,
    `${QUERY.replace('status=1', 'status=0')}&checksum=${CHECKSUM}`,
    `${QUERY.replace('2003', '2004')}&checksum=${CHECKSUM}`,
    `${QUERY}&amount=100&checksum=${CHECKSUM}`, // an extra that was not signed
    `${QUERY.replace('&orderNumber=2003', '')}&checksum=${CHECKSUM}`,
  ]) {
    const r = arca.parseCallback(s, req({ rawQuery: q }));
    assert.ok(!r.ok && r.error.code === 'callback_signature_invalid', q);
  }
  const other = settings({ callback_hmac_key: 'another-key' });
  const r = arca.parseCallback(other, req({ rawQuery: `${QUERY}&checksum=${CHECKSUM}` }));
  assert.ok(!r.ok && r.error.code === 'callback_signature_invalid');
});

test('RSA/SHA-512 checksums verify against the configured key whatever sign_alias says', () => {
  const params = { mdOrder: MD_ORDER, orderNumber: 'FD-1240', operation: 'deposited', status: '1', amount: '150000' };
  const q = signed(params, 'rsa');
  assert.deepEqual(arca.parseCallback(rsaSettings(), req({ rawQuery: q })), trigger(true, 'deposited:1'));
  const alias = q.replace('sign_alias=gw-key-1', 'sign_alias=something-else');
  assert.deepEqual(arca.parseCallback(rsaSettings(), req({ rawQuery: alias })), trigger(true, 'deposited:1'));
  // An HMAC checksum is no RSA one, and the other way round; with both keys set, either verifies.
  const h = signed(params, 'hmac');
  assert.equal(arca.parseCallback(rsaSettings(), req({ rawQuery: h })).ok, false);
  assert.equal(arca.parseCallback(hmacSettings(), req({ rawQuery: q })).ok, false);
  const both = settings({ callback_hmac_key: HMAC_KEY, callback_public_key: KEYS.publicKeyPem });
  assert.equal(arca.parseCallback(both, req({ rawQuery: q })).ok, true);
  assert.equal(arca.parseCallback(both, req({ rawQuery: h })).ok, true);
  const tampered = q.replace('amount=150000', 'amount=1');
  assert.equal(arca.parseCallback(rsaSettings(), req({ rawQuery: tampered })).ok, false);
});

test('without a key, a callback is an unverified trigger (Settle checks the status and applies that)', () => {
  assert.deepEqual(arca.parseCallback(settings(), req({ rawQuery: QUERY })), trigger(false));
  // A checksum it cannot check proves nothing either.
  assert.deepEqual(arca.parseCallback(settings(), req({ rawQuery: `${QUERY}&checksum=${CHECKSUM}` })), trigger(false));
});

test('malformed callbacks are callback_malformed', () => {
  const s = hmacSettings();
  const queries = [
    '',
    'operation=approved&status=1',
    `mdOrder=${MD_ORDER}&status=1`,
    `mdOrder=${MD_ORDER}&operation=approved`,
    `mdOrder=not%20an%20id&operation=approved&status=1`,
    `mdOrder=${MD_ORDER}&mdOrder=${MD_ORDER}&operation=approved&status=1`,
    `${QUERY}&operation=deposited`,
    `${QUERY}&x=${'y'.repeat(2049)}`,
    `${QUERY}&${'n'.repeat(65)}=1`,
    `${QUERY}&=1`,
    Array.from({ length: 101 }, (_, i) => `p${i}=1`).join('&'),
    'x'.repeat(64 * 1024 + 1),
  ];
  for (const rawQuery of queries) {
    const r = arca.parseCallback(s, req({ rawQuery }));
    assert.ok(!r.ok && r.error.code === 'callback_malformed', rawQuery.slice(0, 60));
  }
  const bodies: Buffer[] = [
    Buffer.from(JSON.stringify({ mdOrder: MD_ORDER, operation: 'approved', status: '1' })),
    Buffer.from([0xff, 0xfe, 0x41]),
    Buffer.alloc(64 * 1024 + 1, 0x61),
  ];
  for (const body of bodies) {
    const r = arca.parseCallback(s, req({ method: 'POST', body }));
    assert.ok(!r.ok && r.error.code === 'callback_malformed');
  }
});

test('parseCallback never throws, whatever the bytes, headers, method or query', () => {
  const all = [settings(), hmacSettings(), rsaSettings()];
  const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
  const headers = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 20 }), headerValue, { maxKeys: 5 }),
    fc.record({ 'content-type': fc.constantFrom('application/json', 'application/x-www-form-urlencoded', '', 'x/y') }),
  );
  const query = fc.oneof(
    fc.string(),
    fc
      .dictionary(fc.constantFrom('mdOrder', 'operation', 'status', 'checksum', 'sign_alias', 'x'), fc.string())
      .map((d) => new URLSearchParams(d).toString()),
    fc.constant(`${QUERY}&checksum=${CHECKSUM}`),
  );
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
    fc.json().map((j) => Buffer.from(j)),
    fc.constant(Buffer.alloc(0)),
  );
  fc.assert(
    fc.property(fc.nat(2), fc.string(), headers, query, body, (i, method, h, rawQuery, b) => {
      const raw: RawRequest = { method, headers: h, rawQuery, body: b };
      const r = arca.parseCallback(all[i]!, raw);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(['callback_malformed', 'callback_signature_invalid'].includes(r.error.code));
      assert.equal(typeof arca.redactCallback(raw).body, 'string');
    }),
    { numRuns: 500 },
  );
  // Not even for inputs outside the type.
  const odd = { method: 1, headers: null, rawQuery: 5, body: 'text' } as unknown as RawRequest;
  assert.equal(arca.parseCallback(hmacSettings(), odd).ok, false);
});

test('any validly signed callback verifies, and fails with one character of any value changed', () => {
  const s = settings({ callback_hmac_key: HMAC_KEY, callback_public_key: KEYS.publicKeyPem });
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
      fc.constantFrom('approved', 'deposited', 'reversed', 'refunded', 'declinedByTimeout'),
      fc.constantFrom('0', '1'),
      fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z]{0,10}$/), fc.string({ minLength: 1, maxLength: 20 }), {
        maxKeys: 3,
      }),
      fc.constantFrom('hmac' as const, 'rsa' as const),
      (mdOrder, operation, status, extras, how) => {
        const params = { ...extras, mdOrder, operation, status };
        const q = signed(params, how);
        const r = arca.parseCallback(s, req({ rawQuery: q }));
        assert.ok(r.ok && r.value.kind === 'trigger' && r.value.providerRef === mdOrder && r.value.verified);
        const changed = new URLSearchParams(q);
        changed.set('status', status === '1' ? '0' : '1');
        assert.equal(arca.parseCallback(s, req({ rawQuery: changed.toString() })).ok, false);
      },
    ),
    { numRuns: 60 },
  );
});

test('redactCallback masks the checksum in query and body, never holds the password', () => {
  const red = arca.redactCallback(
    req({
      headers: { authorization: 'Basic x', cookie: 'a=b', 'user-agent': 'BPC' },
      rawQuery: `${QUERY}&checksum=${CHECKSUM}&sign_alias=k1`,
    }),
  );
  assert.deepEqual(red.headers, { 'user-agent': 'BPC' });
  assert.equal(red.query, `${QUERY}&checksum=***&sign_alias=k1`);
  const form = arca.redactCallback(req({ method: 'POST', body: Buffer.from(`${QUERY}&checksum=${CHECKSUM}`) }));
  assert.equal(form.body, `${QUERY}&checksum=***`);
  const huge = arca.redactCallback(req({ method: 'POST', body: Buffer.from(`${'x'.repeat(70_000)}${CHECKSUM}`) }));
  assert.equal(huge.body.includes(CHECKSUM), false);
  const text = JSON.stringify(arca.redactCallback(req({ rawQuery: `${QUERY}&checksum=${CHECKSUM}` })));
  assert.equal(text.includes(CHECKSUM), false);
  assert.equal(text.includes(PASSWORD), false);
});

test('callbacks are answered 200 whatever Settle did with them', () => {
  for (const outcome of ['applied', 'duplicate', 'stale', 'received', 'ignored'] as const) {
    assert.equal(arca.callbackResponse({ kind: 'committed', outcome }).status, 200);
  }
});
