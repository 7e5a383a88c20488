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
