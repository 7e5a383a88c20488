import assert from 'node:assert/strict';
import { test } from 'node:test';
import { providerSaid } from '../../src/admin/pages/order-view.js';
import { badge } from '../../src/admin/render.js';
import { hasTone, toneOf } from '../../src/admin/status-tone.js';
import { CALLBACK_OUTCOMES } from '../../src/contract/callback-record.js';
import { ATTEMPT_STATUSES } from '../../src/domain/attempt-status.js';
import { CHARGEBACK_STATUSES } from '../../src/domain/chargeback.js';
import { ORDER_DELIVERY_STATUSES } from '../../src/domain/delivery.js';
import { FISCAL_STATUSES, ORDER_STATUSES, PAYMENT_STATUSES, REVIEW_STATUSES } from '../../src/domain/order-status.js';
import { OUTBOX_STATUSES } from '../../src/domain/outbox.js';
import { RECEIPT_STATUSES } from '../../src/domain/receipt.js';
import { REFUND_STATUSES } from '../../src/domain/refund.js';

// Every status the pages show as a pill has a colour that says what it means.

const TRACKS: Record<string, readonly string[]> = {
  order: ORDER_STATUSES,
  payment: PAYMENT_STATUSES,
  attempt: ATTEMPT_STATUSES,
  delivery: ORDER_DELIVERY_STATUSES,
  fiscal: FISCAL_STATUSES,
  review: REVIEW_STATUSES,
  receipt: RECEIPT_STATUSES,
  refund: REFUND_STATUSES,
  chargeback: CHARGEBACK_STATUSES,
  outbox: OUTBOX_STATUSES,
  callback: CALLBACK_OUTCOMES,
  // Unions without a list in the domain: links, tasks, sync, runs, switches.
  other: [
    'active',
    'revoked',
    'expired',
    'open',
    'resolved',
    'synced',
    'failing',
    'running',
    'completed',
    'enabled',
    'disabled',
  ],
};

test('every status of every track has a tone of its own', () => {
  const missing = Object.entries(TRACKS).flatMap(([track, all]) =>
    all.filter((s) => !hasTone(s)).map((s) => `${track}: ${s}`),
  );
  assert.deepEqual(missing, []);
});

test('the tones say what a status means', () => {
  for (const s of ['paid', 'succeeded', 'delivered', 'completed', 'approved', 'issued'])
    assert.equal(toneOf(s), 'ok', s);
  for (const s of ['pending', 'pending_payment', 'on_hold', 'open', 'manual']) assert.equal(toneOf(s), 'wait', s);
  for (const s of ['processing', 'authorized', 'packed', 'handed_to_courier']) assert.equal(toneOf(s), 'info', s);
  for (const s of ['failed', 'payment_failed', 'delivery_failed', 'rejected', 'charged_back', 'lost'])
    assert.equal(toneOf(s), 'bad', s);
  for (const s of ['refunded', 'partially_refunded', 'returned']) assert.equal(toneOf(s), 'back', s);
  for (const s of ['canceled', 'expired', 'revoked', 'none', 'not_required']) assert.equal(toneOf(s), 'off', s);
});

test('a pill carries its tone class and its status, and reads in words', () => {
  assert.equal(
    badge('partially_refunded').value,
    '<span class="badge tone-back" data-status="partially_refunded">partially refunded</span>',
  );
  assert.match(badge('something_new').value, /class="badge tone-off"/);
});

test('"Provider said" says each fact once', () => {
  assert.equal(providerSaid('error#5001', '5001').value, 'error#5001');
  assert.equal(providerSaid('declined', '05').value, 'declined <small>05</small>');
  assert.equal(providerSaid(null, '05').value, '05');
  assert.equal(providerSaid('executed', null).value, 'executed');
  assert.equal(providerSaid(null, null).value, '');
});
