import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from './crypto-random.js';

test('ids carry 128 random bits as 26 base32 characters, and none repeats across pool refills', () => {
  // 2,000 ids use the 4 KiB pool about eight times over.
  const ids = Array.from({ length: 2000 }, () => cryptoRandom.id('ord'));
  for (const id of ids) assert.match(id, /^ord_[a-z2-7]{26}$/);
  assert.equal(new Set(ids).size, ids.length);
  // No two ids share their random part's bytes, not even in part: a reused pool slice would.
  assert.equal(new Set(ids.map((id) => id.slice(4, 16))).size, ids.length);
});

test('tokens have at least 16 bytes and are url-safe', () => {
  assert.match(cryptoRandom.token(8), /^[A-Za-z0-9_-]{22}$/);
  assert.match(cryptoRandom.token(32), /^[A-Za-z0-9_-]{43}$/);
});

test('ordered ids sort by the millisecond they were made in, as text, and keep 80 random bits', async () => {
  const before = Date.now();
  const first = Array.from({ length: 500 }, () => cryptoRandom.orderedId('cb'));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = cryptoRandom.orderedId('cb');
  const after = Date.now();
  for (const id of [...first, later]) assert.match(id, /^cb_[a-z2-7]{26}$/);
  assert.equal(new Set(first).size, first.length);
  // Every id made earlier sorts before one made milliseconds later (byte order, as the stores compare).
  for (const id of first) assert.ok(Buffer.compare(Buffer.from(id), Buffer.from(later)) < 0, `${id} < ${later}`);
  // The first ten characters are the time in an alphabet sorted by code.
  const ms = (id: string) =>
    [...id.slice(3, 13)].reduce((n, c) => n * 32 + '234567abcdefghijklmnopqrstuvwxyz'.indexOf(c), 0);
  assert.ok(ms(first[0]!) >= before && ms(later) <= after);
  // The random part is not shared, not even in part, within one millisecond.
  assert.equal(new Set(first.map((id) => id.slice(13, 21))).size, first.length);
});
