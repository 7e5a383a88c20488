import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ConnectorContext, RawRequest } from '../../ports/connector.js';
import { connectorRegistry, getConnector } from '../registry.js';
import { idram } from './connector.js';
import type { IdramSettings } from './settings.js';

const KEY = 'S3cret-Key-Id7';
const ACCOUNT = '100000114';
const raw = { rec_account: ACCOUNT, secret_key: KEY };
// Computed with the shell (see wire.test.ts):
//   printf '%s' '100000114:1900.00:S3cret-Key-Id7:1806:110000601:00000123456789:23/11/2026' | md5sum
const SUM = 'c3f55f66ef28cc6561bfa0b28b5faaad';
const CONFIRMATION = {
  EDP_BILL_NO: '1806',
  EDP_REC_ACCOUNT: ACCOUNT,
  EDP_PAYER_ACCOUNT: '110000601',
  EDP_AMOUNT: '1900.00',
  EDP_TRANS_ID: '00000123456789',
  EDP_TRANS_DATE: '23/11/2026',
  EDP_CHECKSUM: SUM,
};
const PRECHECK = { EDP_PRECHECK: 'YES', EDP_BILL_NO: '1806', EDP_REC_ACCOUNT: ACCOUNT, EDP_AMOUNT: '1900.00' };
const ctx = { http: { request: () => Promise.reject(new Error('Idram is never called')) } } as ConnectorContext;

function settings(over: Record<string, unknown> = {}): IdramSettings {
  const r = idram.parseSettings({ ...raw, ...over });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function settingsError(over: Record<string, unknown>) {
  const r = idram.parseSettings({ ...raw, ...over });
  assert.ok(!r.ok);
  return { code: r.error.code, message: r.error.message, field: r.error.details?.field };
}

function form(fields: Record<string, string>, over: Partial<RawRequest> = {}): RawRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawQuery: '',
    body: Buffer.from(new URLSearchParams(fields).toString()),
    ...over,
  };
}

const parse = (fields: Record<string, string>, s = settings()) => idram.parseCallback(s, form(fields));

test('registry holds idram', () => {
  assert.equal(connectorRegistry().get('idram'), idram);
  assert.equal(getConnector('idram'), idram);
  assert.deepEqual(idram.currencies, ['AMD']);
});

test('settings: defaults, the key as a Secret, never printed', () => {
  const s = settings();
  assert.equal(s.recAccount, ACCOUNT);
  assert.equal(s.secretKey.reveal(), KEY);
  assert.equal(s.paymentUrl, 'https://banking.idram.am/Payment/GetPayment');
  assert.equal(s.language, 'AM');
  assert.equal(JSON.stringify(s).includes(KEY), false);
  assert.equal(inspect(s).includes(KEY), false);
  assert.deepEqual(idram.secretFields, ['secret_key']);
  assert.equal(settings({ language: 'EN', payment_url: 'http://127.0.0.1:9/Payment/GetPayment' }).language, 'EN');
});

test('settings: refused with the field named, never the key', () => {
  assert.equal(settingsError({ rec_account: 'abc' }).field, 'rec_account');
  assert.equal(settingsError({ rec_account: '1:2' }).field, 'rec_account');
  assert.equal(settingsError({ language: 'am' }).field, 'language');
  assert.equal(settingsError({ payment_url: 'ftp://x' }).field, 'payment_url');
  assert.equal(settingsError({ payment_url: 'https://x.test/#f' }).field, 'payment_url');
  assert.equal(settingsError({ secret_key: '' }).field, 'secret_key');
  assert.equal(settingsError({ other: 1 }).field, 'other');
  const missing = idram.parseSettings({ rec_account: ACCOUNT });
  assert.ok(!missing.ok && missing.error.details?.field === 'secret_key');
  assert.equal(JSON.stringify(settingsError({ secret_key: 'x'.repeat(129) })).includes('xxxx'), false);
});

test('bill numbers: the reference for attempt 1, a hyphen suffix after, Idram-safe characters only', () => {
  assert.deepEqual(idram.providerRef('CF-1042', 1), { ok: true, value: 'CF-1042' });
  assert.deepEqual(idram.providerRef('CF-1042', 3), { ok: true, value: 'CF-1042-3' });
  for (const [ref, n] of [
    ['A:1', 1],
    ['A_1', 1],
    ['Заказ', 1],
    ['a'.repeat(64), 2],
    ['A', 0],
    ['A', 1.5],
  ] as const) {
    const r = idram.providerRef(ref, n);
    assert.ok(!r.ok && r.error.code === 'reference_invalid', `${ref} ${n}`);
  }
  assert.equal(idram.normalizeRef('CF-AB'), idram.normalizeRef('cf-ab'));
});

test('startPayment: a form post to Idram with the bill, the amount as "1900.00" and the email when known', async () => {
  const input = {
    settings: settings({ language: 'RU' }),
    providerRef: 'CF-7-2',
    orderReference: 'CF-7',
    description: 'Order CF-7',
    amount: 190000,
    currency: 'AMD',
    callbackUrl: 'https://settle.example/callbacks/pm_1',
    returnUrl: 'https://settle.example/return/pay_1',
  };
  const r = await idram.startPayment({ ...input, customerEmail: 'a@example.test' }, ctx);
  assert.deepEqual(r, {
    ok: true,
    value: {
      next: {
        type: 'form_post',
        url: 'https://banking.idram.am/Payment/GetPayment',
        fields: {
          EDP_LANGUAGE: 'RU',
          EDP_REC_ACCOUNT: ACCOUNT,
          EDP_DESCRIPTION: 'Order CF-7',
          EDP_AMOUNT: '1900.00',
          EDP_BILL_NO: 'CF-7-2',
          EDP_EMAIL: 'a@example.test',
        },
      },
    },
  });
  const noEmail = await idram.startPayment(input, ctx);
  assert.ok(noEmail.ok && noEmail.value.next.type === 'form_post' && !('EDP_EMAIL' in noEmail.value.next.fields));
  assert.ok(noEmail.ok && noEmail.value.providerPaymentId === undefined);
  for (const bad of [{ currency: 'USD' }, { amount: 0 }, { amount: 1.5 }, { providerRef: 'A:B' }]) {
    const r2 = await idram.startPayment({ ...input, ...bad }, ctx);
    assert.ok(!r2.ok && r2.error.outcome === 'not_sent', JSON.stringify(bad));
  }
});

test('pre-check: a question about the bill and its amount, unsigned, refused for another account', () => {
  assert.deepEqual(parse(PRECHECK), {
    ok: true,
    value: {
      kind: 'question',
      providerRef: '1806',
      providerStatus: 'precheck',
      amount: 190000,
      currency: 'AMD',
    },
  });
  const asWhole = parse({ ...PRECHECK, EDP_AMOUNT: '1900' });
  assert.ok(asWhole.ok && asWhole.value.kind === 'question' && asWhole.value.amount === 190000);
  const other = parse({ ...PRECHECK, EDP_REC_ACCOUNT: '100000999' });
  assert.ok(other.ok && other.value.kind === 'question');
  assert.match(other.value.refusal ?? '', /100000999/);
  for (const bad of [{ EDP_PRECHECK: 'yes' }, { EDP_PRECHECK: 'NO' }, { EDP_AMOUNT: '19,00' }, { EDP_AMOUNT: '-1' }]) {
    const r = parse({ ...PRECHECK, ...bad });
    assert.ok(!r.ok && r.error.code === 'callback_malformed', JSON.stringify(bad));
  }
  const { EDP_BILL_NO: _, ...noBill } = PRECHECK;
  assert.ok(!parse(noBill).ok);
});

test('confirmation: verified by its checksum (any case), a succeeded payment with amount and currency', () => {
  const expected = {
    ok: true,
    value: {
      kind: 'payment',
      event: {
        providerRef: '1806',
        status: 'succeeded',
        providerStatus: 'confirmed',
        errorCode: null,
        amount: 190000,
        currency: 'AMD',
        providerPaymentId: '00000123456789',
      },
    },
  };
  assert.deepEqual(parse(CONFIRMATION), expected);
  assert.deepEqual(parse({ ...CONFIRMATION, EDP_CHECKSUM: SUM.toUpperCase() }), expected);
  // The same fields in the query string of a request without a body are read too.
  const query = new URLSearchParams(CONFIRMATION).toString();
  assert.deepEqual(
    idram.parseCallback(settings(), { method: 'GET', headers: {}, rawQuery: query, body: Buffer.alloc(0) }),
    expected,
  );
});

test('confirmation: a wrong checksum, another key, another account or a changed field is refused', () => {
  const refusedAs = (fields: Record<string, string>, code: string, s = settings()) => {
    const r = parse(fields, s);
    assert.ok(!r.ok, JSON.stringify(fields));
    assert.equal(r.error.code, code, JSON.stringify(fields));
    assert.equal(r.error.message.includes(KEY), false);
  };
  refusedAs({ ...CONFIRMATION, EDP_CHECKSUM: '0'.repeat(32) }, 'callback_signature_invalid');
  refusedAs(CONFIRMATION, 'callback_signature_invalid', settings({ secret_key: 'another-key' }));
  refusedAs(CONFIRMATION, 'callback_signature_invalid', settings({ rec_account: '100000999' }));
  for (const k of ['EDP_AMOUNT', 'EDP_BILL_NO', 'EDP_PAYER_ACCOUNT', 'EDP_TRANS_ID', 'EDP_TRANS_DATE'] as const)
    refusedAs(
      { ...CONFIRMATION, [k]: k === 'EDP_AMOUNT' ? '1900' : `${CONFIRMATION[k]}1` },
      'callback_signature_invalid',
    );
  for (const k of ['EDP_PAYER_ACCOUNT', 'EDP_TRANS_ID', 'EDP_TRANS_DATE', 'EDP_CHECKSUM'] as const) {
    const { [k]: _, ...missing } = CONFIRMATION;
    refusedAs(missing, 'callback_malformed');
  }
  // The checksum of bill "1806" with payer "110000601" re-split as bill "1806:110000601".
  refusedAs(
    {
      ...CONFIRMATION,
      EDP_BILL_NO: '1806:110000601',
      EDP_PAYER_ACCOUNT: '00000123456789',
      EDP_TRANS_ID: '23/11/2026',
      EDP_TRANS_DATE: '',
    },
    'callback_malformed',
  );
  const twice = `${new URLSearchParams(CONFIRMATION).toString()}&EDP_AMOUNT=1.00`;
  const r = idram.parseCallback(settings(), form({}, { body: Buffer.from(twice) }));
  assert.ok(!r.ok && r.error.code === 'callback_malformed');
});

test('confirmation: a signed amount that cannot be read never matches (held for a person)', () => {
  // printf '%s' '100000114:1900.005:S3cret-Key-Id7:1806:110000601:00000123456789:23/11/2026' | md5sum
  const r = parse({ ...CONFIRMATION, EDP_AMOUNT: '1900.005', EDP_CHECKSUM: '8479f8f9f3a2b078fd727b77548e56df' });
  assert.ok(r.ok && r.value.kind === 'payment');
  assert.equal(r.value.event.amount, -1);
});

test('answers: "OK" for every committed callback and a yes, a short refusal for a no, plain text', () => {
  for (const outcome of ['applied', 'duplicate', 'stale', 'ignored'] as const)
    assert.deepEqual(idram.callbackResponse({ kind: 'committed', outcome }), {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'OK',
    });
  assert.equal(idram.callbackResponse({ kind: 'answered', accepted: true, reason: 'yes' }).body, 'OK');
  const no = idram.callbackResponse({ kind: 'answered', accepted: false, reason: 'order X is paid already.' });
  assert.deepEqual(no, { status: 200, contentType: 'text/plain; charset=utf-8', body: 'NO' });
});

test('redaction: the checksum never reaches the callback log, the rest is kept as sent', () => {
  const r = idram.redactCallback(form(CONFIRMATION));
  assert.equal(r.body.includes(SUM), false);
  assert.match(r.body, /EDP_CHECKSUM=\*\*\*/);
  assert.match(r.body, /EDP_BILL_NO=1806/);
  const q = idram.redactCallback({ ...form({}), rawQuery: new URLSearchParams(CONFIRMATION).toString() });
  assert.equal(q.query.includes(SUM), false);
});

test('returnReference: EDP_BILL_NO from the query or a posted form; nothing else', () => {
  const get = (rawQuery: string): RawRequest => ({ method: 'GET', headers: {}, rawQuery, body: Buffer.alloc(0) });
  assert.equal(idram.returnReference?.(get('EDP_BILL_NO=CF-7-2')), 'CF-7-2');
  assert.equal(idram.returnReference?.(get('x=1&EDP_BILL_NO=CF-7&lang=en')), 'CF-7');
  assert.equal(idram.returnReference?.(form({ EDP_BILL_NO: 'CF-8' })), 'CF-8');
  for (const q of ['', 'EDP_BILL_NO=', 'EDP_BILL_NO=a:b', 'EDP_BILL_NO=1&EDP_BILL_NO=2', 'bill=1'])
    assert.equal(idram.returnReference?.(get(q)), undefined, q);
});

const anyRequest = () => {
  const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
  const headers = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 20 }), headerValue, { maxKeys: 5 }),
    fc.record({
      'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
    }),
  );
  const fields = fc.record(
    Object.fromEntries(
      [...Object.keys(CONFIRMATION), 'EDP_PRECHECK'].map((k) => [
        k,
        fc.oneof(fc.string(), fc.constant((CONFIRMATION as Record<string, string>)[k] ?? 'YES')),
      ]),
    ),
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
    fc.json().map((j) => Buffer.from(j)),
    fields.map((f) => Buffer.from(new URLSearchParams(f as Record<string, string>).toString())),
  );
  return fc.record({ method: fc.string(), headers, rawQuery: fc.string(), body });
};

test('property: parseCallback, redactCallback and returnReference never throw, and never log the checksum', () => {
  const s = settings();
  fc.assert(
    fc.property(anyRequest(), (req) => {
      const r = idram.parseCallback(s, req as RawRequest);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.equal(r.error.message.includes(KEY), false);
      const red = idram.redactCallback(req as RawRequest);
      assert.equal(JSON.stringify(red).includes(SUM), false);
      idram.returnReference?.(req as RawRequest);
    }),
    { numRuns: 500 },
  );
});
