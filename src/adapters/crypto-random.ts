import { randomBytes, randomFillSync } from 'node:crypto';
import type { Random } from '../ports/random.js';

// Lower-case base32 without padding: ids stay url-safe and case-insensitive-safe.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

// Ids take their random bytes from a pool filled 4 KiB at a time (as node:crypto's randomUUID does):
// one CSPRNG call per 256 ids instead of one each, which was 3% of a callback's CPU. Each byte is
// handed out once. Tokens (keys, sessions) still come fresh from randomBytes.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function idBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

// The same 32 characters in ascending code order: a number written with them sorts as text as it
// does as a number, so an ordered id sorts by its time (SQLite and PostgreSQL's C collation
// compare bytes; the base32 alphabet above puts "z" before "2").
const SORTED = '234567abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 10; // 50 bits of milliseconds: enough until the year 37,648

function timePart(ms: number): string {
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = SORTED[ms % 32]! + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

export const cryptoRandom: Random = {
  id: (prefix) => `${prefix}_${base32(idBytes(16))}`,
  // 10 time characters and 16 of 80 random bits: 26, as long as an id().
  orderedId: (prefix) => `${prefix}_${timePart(Date.now())}${base32(idBytes(10))}`,
  token: (bytes) => randomBytes(Math.max(16, bytes)).toString('base64url'),
};
