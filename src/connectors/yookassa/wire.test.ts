import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressList, isAllowed, paymentStatus, readAmount, wireAmount, YOOKASSA_NOTIFICATION_IPS } from './wire.js';

test('YooKassa’s published notification ranges let its addresses in and nobody else', () => {
  const list = addressList(YOOKASSA_NOTIFICATION_IPS);
  assert.ok(typeof list !== 'string');
  for (const inside of [
    '185.71.76.0',
    '185.71.76.31',
    '185.71.77.10',
    '77.75.153.127',
    '77.75.156.11',
    '77.75.156.35',
    '77.75.154.200',
    '2a02:5180::1',
    '2a02:5180:ffff::5',
  ])
    assert.ok(isAllowed(list, inside), inside);
  for (const outside of [
    '185.71.76.32',
    '77.75.153.128',
    '77.75.156.12',
    '77.75.154.127',
    '2a02:5181::1',
    '127.0.0.1',
    '10.0.0.1',
  ])
    assert.equal(isAllowed(list, outside), false, outside);
  // The socket gives IPv4 peers of a dual-stack server as ::ffff:a.b.c.d.
  assert.ok(isAllowed(list, '::ffff:185.71.76.5'));
  assert.equal(isAllowed(list, '::ffff:185.71.76.50'), false);
  for (const nothing of [undefined, '', 'not-an-ip']) assert.equal(isAllowed(list, nothing), false);
});

test('an address list refuses entries that are not addresses or ranges', () => {
  for (const bad of ['185.71.76.0/33', '2a02::/129', 'example.com', '1.2.3.4/x', '1.2.3.4/8/9', ''])
    assert.equal(typeof addressList([bad]), 'string', bad);
});

test('amounts go out as decimal strings and are read back exactly', () => {
  assert.deepEqual(wireAmount(150000, 'RUB'), { value: '1500.00', currency: 'RUB' });
  assert.deepEqual(wireAmount(5, 'RUB'), { value: '0.05', currency: 'RUB' });
  assert.deepEqual(readAmount({ value: '1500.00', currency: 'RUB' }), { amount: 150000, currency: 'RUB' });
  assert.deepEqual(readAmount({ value: '1500', currency: 'RUB' }), { amount: 150000, currency: 'RUB' });
  for (const bad of [
    { value: '1500.001', currency: 'RUB' },
    { value: 1500, currency: 'RUB' },
    { value: '-1', currency: 'RUB' },
    { value: '1', currency: 'rub' },
    null,
  ])
    assert.equal(readAmount(bad), undefined, JSON.stringify(bad));
});

test('statuses, and a cancel by its reason', () => {
  assert.equal(paymentStatus('pending'), 'pending');
  assert.equal(paymentStatus('waiting_for_capture'), 'authorized');
  assert.equal(paymentStatus('succeeded'), 'succeeded');
  assert.equal(paymentStatus('canceled', 'expired_on_confirmation'), 'expired');
  assert.equal(paymentStatus('canceled', 'canceled_by_merchant'), 'canceled');
  assert.equal(paymentStatus('canceled', 'expired_on_capture'), 'canceled');
  for (const reason of ['insufficient_funds', '3d_secure_failed', 'fraud_suspected', undefined])
    assert.equal(paymentStatus('canceled', reason), 'failed', String(reason));
  assert.equal(paymentStatus('something_new'), null);
});
