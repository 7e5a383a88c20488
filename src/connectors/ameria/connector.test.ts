import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import fc from 'fast-check';
import { Secret } from '../../domain/secret.js';
import type { ConnectorContext, PaymentRef, RawRequest } from '../../ports/connector.js';
import { ProviderUnreachable, type HttpRequest, type HttpResponse } from '../../ports/http-client.js';
import { connectorRegistry, getConnector } from '../registry.js';
import { ameria, counterKey, NO_CALLBACKS } from './connector.js';
import type { AmeriaSettings } from './settings.js';

const PASSWORD = 'Pa55-w0rd-Xq';
const raw = {
  client_id: '83D64FD0-594E-456F-BAF9-3E3135E37639',
  username: '3d19541048',
  password: PASSWORD,
  api_base_url: 'https://vpos.example.test/VPOS/',
  order_id_from: 30164001,
  order_id_to: 30165000,
  language: 'en',
};

function settings(over: Record<string, unknown> = {}): AmeriaSettings {
  const r = ameria.parseSettings({ ...raw, ...over });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

function settingsError(over: Record<string, unknown>): { field: unknown; message: string } {
  const r = ameria.parseSettings({ ...raw, ...over });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'settings_invalid');
  return { field: r.error.details?.field, message: r.error.message };
}

test('registry holds ameria', () => {
  assert.equal(connectorRegistry().get('ameria'), ameria);
  assert.equal(getConnector('ameria'), ameria);
});

test('settings: valid input parses, the password is a Secret, defaults and the base URL', () => {
  const s = settings();
  assert.equal(s.password.reveal(), PASSWORD);
  assert.equal(JSON.stringify(s).includes(PASSWORD), false);
  assert.equal(inspect(s).includes(PASSWORD), false);
  assert.equal(s.apiBaseUrl, 'https://vpos.example.test/VPOS');
  assert.deepEqual(ameria.secretFields, ['password']);
  const d = settings({ api_base_url: undefined, language: undefined });
  assert.equal(d.apiBaseUrl, 'https://services.ameriabank.am/VPOS');
  assert.equal(d.language, 'am');
  assert.equal(settings({ password: new Secret(PASSWORD) }).password.reveal(), PASSWORD);
});

test('settings: refusals name the field and never show the password', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ client_id: undefined }, 'client_id'],
    [{ client_id: 'a b' }, 'client_id'],
    [{ username: '' }, 'username'],
    [{ password: undefined }, 'password'],
    [{ password: 'x'.repeat(129) }, 'password'],
    [{ order_id_from: undefined }, 'order_id_from'],
    [{ order_id_from: 1.5 }, 'order_id_from'],
    [{ order_id_from: '1' }, 'order_id_from'],
    [{ order_id_from: 0 }, 'order_id_from'],
    [{ order_id_to: Number.MAX_SAFE_INTEGER + 2 }, 'order_id_to'],
    [{ order_id_from: 30165001 }, 'order_id_to'],
    [{ language: 'de' }, 'language'],
    [{ api_base_url: 'ftp://x.test' }, 'api_base_url'],
    [{ api_base_url: 'https://x.test/VPOS?a=1' }, 'api_base_url'],
    [{ api_base_url: `https://user:${PASSWORD}@x.test/VPOS` }, 'api_base_url'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [over, field] of cases) {
    const e = settingsError(over);
    assert.equal(e.field, field, JSON.stringify(over));
    assert.equal(e.message.includes(PASSWORD), false);
  }
  assert.equal(settingsError({ language: 'de' }).message, 'language must be am, ru or en.');
  assert.equal(settingsError({ order_id_from: 30165001 }).message, 'order_id_to must not be below order_id_from.');
});

test('references: a counter over the bank range, shared by every method with the same ClientID', () => {
  assert.deepEqual(ameria.references!(settings()), {
    kind: 'counter',
    key: 'ameria:83d64fd0-594e-456f-baf9-3e3135e37639',
    from: 30164001,
    to: 30165000,
  });
  assert.equal(counterKey('ABC'), counterKey('abc'));
  const r = ameria.providerRef('FD-1', 1);
  assert.ok(!r.ok && r.error.code === 'reference_invalid' && /counter/.test(r.error.message));
  assert.equal(ameria.normalizeRef('030164001'), ameria.normalizeRef('30164001'));
});

interface Fake {
  ctx: ConnectorContext;
  seen: HttpRequest[];
  bodies: Record<string, unknown>[];
}

/** An HTTP client answering from a list (the last answer repeats). */
function fakeHttp(...answers: (HttpResponse | Error)[]): Fake {
  const seen: HttpRequest[] = [];
  const bodies: Record<string, unknown>[] = [];
  let i = 0;
  return {
    seen,
    bodies,
    ctx: {
      http: {
        request: async (r) => {
          seen.push(r);
          bodies.push(JSON.parse(r.body ?? '{}') as Record<string, unknown>);
          const a = answers[Math.min(i++, answers.length - 1)]!;
          if (a instanceof Error) throw a;
          return a;
        },
      },
    },
  };
}

const json = (body: unknown, status = 200): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const start = (s: AmeriaSettings, fake: Fake, over: Record<string, unknown> = {}) =>
  ameria.startPayment(
    {
      settings: s,
      providerRef: '30164001',
      orderReference: 'FD-1240',
      description: 'Order FD-1240',
      amount: 150050,
      currency: 'AMD',
      callbackUrl: 'https://settle.test/callbacks/pm_1',
      returnUrl: 'https://settle.test/return/pay_1',
      ...over,
    },
    fake.ctx,
  );

test('startPayment POSTs InitPayment and sends the customer to the payment page', async () => {
  const fake = fakeHttp(
    json({ PaymentID: 'B3201A82-DC65-430C-9C46-D1BF294C5770', ResponseCode: 1, ResponseMessage: 'OK' }),
  );
  const r = await start(settings(), fake);
  assert.deepEqual(r, {
    ok: true,
    value: {
      next: {
        type: 'redirect',
        url: 'https://vpos.example.test/VPOS/Payments/Pay?id=B3201A82-DC65-430C-9C46-D1BF294C5770&lang=en',
      },
      providerPaymentId: 'B3201A82-DC65-430C-9C46-D1BF294C5770',
    },
  });
  assert.equal(fake.seen[0]?.method, 'POST');
  assert.equal(fake.seen[0]?.url, 'https://vpos.example.test/VPOS/api/VPOS/InitPayment');
  assert.match(fake.seen[0]?.headers?.['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(fake.bodies[0], {
    ClientID: '83D64FD0-594E-456F-BAF9-3E3135E37639',
    Amount: 1500.5,
    OrderID: 30164001,
    Currency: '051',
    Description: 'Order FD-1240',
    BackURL: 'https://settle.test/return/pay_1',
    Opaque: 'FD-1240',
    Username: '3d19541048',
    Password: PASSWORD,
  });
  assert.match(fake.seen[0]?.body ?? '', /"OrderID":30164001,/);
});

test('startPayment refuses, before any call, a reference outside the range and what the wire cannot carry', async () => {
  const s = settings();
  for (const over of [
    { providerRef: '30165001' },
    { providerRef: '30164000' },
    { providerRef: 'FD-1240' },
    { providerRef: '030164001' },
  ]) {
    const r = await start(s, fakeHttp(new Error('no call')), over);
    assert.ok(!r.ok && r.error.code === 'reference_invalid' && r.error.outcome === 'not_sent', JSON.stringify(over));
  }
  for (const over of [{ amount: 0 }, { amount: 1.5 }, { currency: 'JPY' }, { currency: 'XXX' }]) {
    const r = await start(s, fakeHttp(new Error('no call')), over);
    assert.ok(!r.ok && r.error.code === 'amount_invalid' && r.error.outcome === 'not_sent', JSON.stringify(over));
  }
});

test('startPayment: a refusal carries the code and message; a success without a PaymentID is unreadable', async () => {
  const s = settings();
  const no = await start(
    s,
    fakeHttp(json({ PaymentID: '', ResponseCode: 20, ResponseMessage: 'Incorrect Username and Password' })),
  );
  assert.ok(!no.ok);
  assert.equal(no.error.outcome, 'refused');
  assert.equal(
    no.error.message,
    'Ameriabank refused to start the payment: ResponseCode 20 (Incorrect Username and Password).',
  );
  assert.deepEqual(no.error.details, { errorCode: '20', responseMessage: 'Incorrect Username and Password' });
  for (const body of [{ ResponseCode: 1, PaymentID: '' }, { ResponseCode: 1 }, { PaymentID: 'X' }, ['x']]) {
    const r = await start(s, fakeHttp(json(body)));
    assert.ok(
      !r.ok && r.error.code === 'provider_answer_invalid' && r.error.outcome === 'unknown',
      JSON.stringify(body),
    );
  }
});

const ref: PaymentRef = {
  providerRef: '30164001',
  providerPaymentId: 'B3201A82-DC65-430C-9C46-D1BF294C5770',
  amount: 150000,
  currency: 'AMD',
};

function detailsBody(over: Record<string, unknown> = {}) {
  return {
    Amount: 1500.0,
    ApprovedAmount: 1500.0,
    DepositedAmount: 1500.0,
    RefundedAmount: 0.0,
    Currency: '051',
    OrderID: '30164001',
    OrderStatus: '2',
    PaymentState: 'payment_deposited',
    ResponseCode: '00',
    ...over,
  };
}

test('checkStatus POSTs GetPaymentDetails with the PaymentID and maps the answer', async () => {
  const fake = fakeHttp(json(detailsBody()));
  const r = await ameria.checkStatus!(settings(), ref, fake.ctx);
  assert.deepEqual(r, {
    ok: true,
    value: {
      providerRef: '30164001',
      status: 'succeeded',
      providerStatus: '2 payment_deposited',
      errorCode: null,
      amount: 150000,
      currency: 'AMD',
    },
  });
  assert.equal(fake.seen[0]?.url, 'https://vpos.example.test/VPOS/api/VPOS/GetPaymentDetails');
  assert.deepEqual(fake.bodies[0], { PaymentID: ref.providerPaymentId, Username: '3d19541048', Password: PASSWORD });
  const none = await ameria.checkStatus!(
    settings(),
    { ...ref, providerPaymentId: null },
    fakeHttp(new Error('no call')).ctx,
  );
  assert.ok(!none.ok && none.error.outcome === 'not_sent');
});

test('every call: no answer, a 5xx or a page is of unknown outcome; messages hide the URL and the password', async () => {
  const s = settings();
  const answers: [HttpResponse | Error, string][] = [
    [new ProviderUnreachable('timeout', 'POST https://vpos.example.test: no answer'), 'provider_unreachable'],
    [json({ Message: 'An error has occurred.' }, 500), 'provider_answer_invalid'],
    [{ status: 200, headers: {}, body: '<html>maintenance</html>' }, 'provider_answer_invalid'],
    [json({}, 302), 'provider_answer_invalid'],
  ];
  const calls = [
    (f: Fake) => start(s, f),
    (f: Fake) => ameria.checkStatus!(s, ref, f.ctx),
    (f: Fake) =>
      ameria.refund!(s, { payment: ref, refundId: 'rf_1', amount: 100, refundedBefore: 0, resend: false }, f.ctx),
    (f: Fake) => ameria.void!(s, ref, f.ctx),
    (f: Fake) => ameria.capture!(s, { ...ref, captureAmount: 150000 }, f.ctx),
  ];
  for (const [answer, code] of answers) {
    for (const call of calls) {
      const r = await call(fakeHttp(answer));
      assert.ok(!r.ok);
      assert.equal(r.error.code, code);
      assert.equal(r.error.outcome, 'unknown');
      const text = JSON.stringify(r.error);
      assert.equal(text.includes(PASSWORD), false);
      assert.equal(text.includes('://') || text.includes('vpos.example'), false, text);
    }
  }
});

const refundInput = (over: Record<string, unknown> = {}) => ({
  payment: ref,
  refundId: 'rf_1',
  amount: 40000,
  refundedBefore: 30000,
  resend: false,
  ...over,
});

test('refund POSTs RefundPayment (partial, major units); "00" is succeeded, any other code refused', async () => {
  const fake = fakeHttp(json({ ResponseCode: '00', ResponseMessage: 'Success', Opaque: 'FD-1240' }));
  assert.deepEqual(await ameria.refund!(settings(), refundInput(), fake.ctx), {
    ok: true,
    value: { status: 'succeeded', providerRef: null },
  });
  assert.equal(fake.seen.length, 1);
  assert.equal(fake.seen[0]?.url, 'https://vpos.example.test/VPOS/api/VPOS/RefundPayment');
  assert.deepEqual(fake.bodies[0], {
    PaymentID: ref.providerPaymentId,
    Amount: 400,
    Username: '3d19541048',
    Password: PASSWORD,
  });
  const no = await ameria.refund!(
    settings(),
    refundInput(),
    fakeHttp(json({ ResponseCode: '07', ResponseMessage: 'Refund amount exceeds deposited amount' })).ctx,
  );
  assert.ok(!no.ok && no.error.outcome === 'refused');
  assert.match(no.error.message, /refund of 400\.00 AMD of payment 30164001: ResponseCode 07 \(Refund amount exceeds/);
});

test('refund resend: sent again only when RefundedAmount shows it was not made', async () => {
  const s = settings();
  const ok00 = json({ ResponseCode: '00', ResponseMessage: 'Success' });
  const refunded = (major: number) =>
    json(
      detailsBody({
        OrderStatus: '4',
        PaymentState: 'payment_refunded',
        RefundedAmount: major,
        DepositedAmount: 1500 - major,
      }),
    );
  // Made: 300 before + 400 now = 700 refunded at the bank. Nothing is sent.
  const made = fakeHttp(refunded(700));
  assert.deepEqual(await ameria.refund!(s, refundInput({ resend: true }), made.ctx), {
    ok: true,
    value: { status: 'succeeded', providerRef: null },
  });
  assert.deepEqual(
    made.seen.map((r) => r.url.split('/').pop()),
    ['GetPaymentDetails'],
  );
  // Not made: still 300. Sent once.
  const notMade = fakeHttp(refunded(300), ok00);
  assert.equal((await ameria.refund!(s, refundInput({ resend: true }), notMade.ctx)).ok, true);
  assert.deepEqual(
    notMade.seen.map((r) => r.url.split('/').pop()),
    ['GetPaymentDetails', 'RefundPayment'],
  );
  // Anything else is never re-sent, and never called failed (that would free its amount): unknown.
  const odd = fakeHttp(refunded(1000), ok00);
  const r = await ameria.refund!(s, refundInput({ resend: true }), odd.ctx);
  assert.ok(!r.ok && r.error.outcome === 'unknown');
  assert.match(r.error.message, /reports 1000\.00 AMD refunded.*expected 300\.00 AMD.*or 700\.00 AMD/);
  assert.equal(odd.seen.length, 1);
  // A check that is refused or cannot be read keeps the outcome unknown, and sends nothing.
  for (const answer of [json(detailsBody({ OrderStatus: '', ResponseCode: '550' })), refunded(NaN), json({}, 503)]) {
    const f = fakeHttp(answer, ok00);
    const u = await ameria.refund!(s, refundInput({ resend: true }), f.ctx);
    assert.ok(!u.ok && u.error.outcome === 'unknown', JSON.stringify(u));
    assert.equal(f.seen.length, 1);
  }
});

test('void and capture act only on a held payment, then answer the status after', async () => {
  const s = settings();
  const held = json(detailsBody({ OrderStatus: '1', PaymentState: 'payment_approved', DepositedAmount: 0 }));
  const ok00 = json({ ResponseCode: '00', ResponseMessage: 'Success' });
  const voided = fakeHttp(
    held,
    ok00,
    json(detailsBody({ OrderStatus: '3', PaymentState: 'payment_void', DepositedAmount: 0 })),
  );
  const v = await ameria.void!(s, ref, voided.ctx);
  assert.ok(v.ok && v.value.status === 'canceled');
  assert.deepEqual(
    voided.seen.map((r) => r.url.split('/').pop()),
    ['GetPaymentDetails', 'CancelPayment', 'GetPaymentDetails'],
  );
  assert.deepEqual(voided.bodies[1], { PaymentID: ref.providerPaymentId, Username: '3d19541048', Password: PASSWORD });

  const captured = fakeHttp(held, ok00, json(detailsBody()));
  const c = await ameria.capture!(s, { ...ref, captureAmount: 120000 }, captured.ctx);
  assert.ok(c.ok && c.value.status === 'succeeded');
  assert.deepEqual(captured.bodies[1], {
    PaymentID: ref.providerPaymentId,
    Amount: 1200,
    Username: '3d19541048',
    Password: PASSWORD,
  });

  // Taken already (a capture sent before without an answer, or a one-stage payment): nothing sent,
  // and a payment taken is never reversed by a void.
  for (const op of ['void', 'capture'] as const) {
    const paid = fakeHttp(json(detailsBody()));
    const r =
      op === 'void'
        ? await ameria.void!(s, ref, paid.ctx)
        : await ameria.capture!(s, { ...ref, captureAmount: 1 }, paid.ctx);
    assert.ok(r.ok && r.value.status === 'succeeded');
    assert.equal(paid.seen.length, 1);
  }
  const refusedVoid = await ameria.void!(
    s,
    ref,
    fakeHttp(held, json({ ResponseCode: '514', ResponseMessage: '' })).ctx,
  );
  assert.ok(
    !refusedVoid.ok && refusedVoid.error.outcome === 'refused' && /ResponseCode 514\.$/.test(refusedVoid.error.message),
  );
});

function req(over: Partial<RawRequest> = {}): RawRequest {
  return { method: 'GET', headers: {}, rawQuery: '', body: Buffer.alloc(0), ...over };
}

test('parseCallback refuses everything: the bank sends no callbacks, its return proves nothing', () => {
  const s = settings();
  const back = req({ rawQuery: 'orderID=30164001&resposneCode=00&paymentID=b3201a82&opaque=FD-1240' });
  assert.deepEqual(ameria.parseCallback(s, back), {
    ok: false,
    error: { code: 'callback_malformed', message: NO_CALLBACKS },
  });
  fc.assert(
    fc.property(
      fc.string(),
      fc.dictionary(fc.string(), fc.string()),
      fc.string(),
      fc.uint8Array({ maxLength: 256 }),
      (method, headers, rawQuery, body) => {
        const r = { method, headers, rawQuery, body: Buffer.from(body) };
        const parsed = ameria.parseCallback(s, r);
        assert.ok(!parsed.ok && parsed.error.code === 'callback_malformed');
        assert.equal(typeof ameria.redactCallback(r).body, 'string');
      },
    ),
    { numRuns: 300 },
  );
});

test('redactCallback masks a password wherever a misdirected request carries one', () => {
  const red = ameria.redactCallback(
    req({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic eA==' },
      rawQuery: `Password=${PASSWORD}&orderID=1`,
      body: Buffer.from(JSON.stringify({ PaymentID: 'X', Username: 'u', Password: PASSWORD })),
    }),
  );
  const text = JSON.stringify(red);
  assert.equal(text.includes(PASSWORD), false);
  assert.equal(red.headers.authorization, undefined);
  assert.equal(red.query, 'Password=***&orderID=1');
  assert.deepEqual(ameria.callbackResponse({ kind: 'committed', outcome: 'rejected' }).status, 200);
});
