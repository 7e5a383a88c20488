import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRequest } from '../../ports/connector.js';
import { readPayment, yookassa } from './connector.js';
import type { YooKassaSettings } from './settings.js';

const settings = (() => {
  const r = yookassa.parseSettings({ shop_id: '506751', secret_key: 'test_unit-secret' });
  assert.ok(r.ok);
  return r.value as YooKassaSettings;
})();
const ID = '2419a771-000f-5000-9000-1edaf29243f2';
const req = (body: unknown, remoteAddress: string | null = '185.71.76.10'): RawRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  rawQuery: '',
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  ...(remoteAddress !== null && { remoteAddress }),
});
const note = (event: string, object: Record<string, unknown>) => ({ type: 'notification', event, object });

test('a notification from YooKassa’s addresses is a trigger for the payment it names', () => {
  const paid = yookassa.parseCallback(settings, req(note('payment.succeeded', { id: ID, status: 'succeeded' })));
  assert.deepEqual(paid.ok && paid.value, {
    kind: 'trigger',
    providerRef: ID,
    providerStatus: 'payment.succeeded',
    verified: true,
  });
  const refund = yookassa.parseCallback(
    settings,
    req(note('refund.succeeded', { id: '216749f7-0016-50be-b000-078d43a63ae4', payment_id: ID, status: 'succeeded' })),
  );
  assert.deepEqual(refund.ok && refund.value, {
    kind: 'trigger',
    providerRef: ID,
    providerStatus: 'refund.succeeded',
    verified: true,
  });
});

test('one from anywhere else is refused before its body is read, whatever it says', () => {
  for (const addr of ['203.0.113.5', '127.0.0.1', '::ffff:10.1.1.1', null]) {
    const r = yookassa.parseCallback(settings, req('not even json', addr));
    assert.equal(!r.ok && r.error.code, 'callback_signature_invalid', String(addr));
  }
});

test('what is not a notification of a payment or refund is malformed', () => {
  for (const body of [
    '',
    'x',
    '[]',
    note('payout.succeeded', { id: ID }),
    note('payment.succeeded', { id: 'nope' }),
    { type: 'other' },
  ]) {
    const r = yookassa.parseCallback(settings, req(body));
    assert.equal(!r.ok && r.error.code, 'callback_malformed', JSON.stringify(body));
  }
});

test('the payment read back is the event Settle applies, with the amount YooKassa states', () => {
  const ref = { providerRef: '1042', providerPaymentId: ID, amount: 150000, currency: 'RUB' };
  const ok = readPayment({ id: ID, status: 'succeeded', amount: { value: '1500.00', currency: 'RUB' } }, ref);
  assert.deepEqual(ok, {
    kind: 'answer',
    value: {
      providerRef: '1042',
      status: 'succeeded',
      providerStatus: 'succeeded',
      errorCode: null,
      amount: 150000,
      currency: 'RUB',
    },
  });
  const declined = readPayment(
    {
      id: ID,
      status: 'canceled',
      amount: { value: '1500.00', currency: 'RUB' },
      cancellation_details: { party: 'payment_network', reason: 'insufficient_funds' },
    },
    ref,
  );
  assert.ok(
    declined.kind === 'answer' &&
      declined.value.status === 'failed' &&
      declined.value.errorCode === 'insufficient_funds',
  );
  assert.equal(readPayment({ id: 'other', status: 'succeeded' }, ref).kind, 'unreadable');
  const noAmount = readPayment({ id: ID, status: 'succeeded' }, ref);
  assert.ok(noAmount.kind === 'answer' && noAmount.value.amount === -1, 'an unreadable amount never matches');
});

test('settings: the secret key is a secret; the address list is checked; capture defaults to one stage', () => {
  assert.deepEqual(yookassa.secretFields, ['secret_key']);
  assert.equal(settings.capture, true);
  const bad = yookassa.parseSettings({ shop_id: '1', secret_key: 'test_x', notification_ips: ['nowhere'] });
  assert.equal(!bad.ok && bad.error.code, 'settings_invalid');
  assert.deepEqual(yookassa.callbackResponse({ kind: 'committed', outcome: 'applied' }).status, 200);
});
