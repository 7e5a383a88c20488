import { randomBytes } from 'node:crypto';
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

export const cryptoRandom: Random = {
  id: (prefix) => `${prefix}_${base32(randomBytes(16))}`,
  token: (bytes) => randomBytes(Math.max(16, bytes)).toString('base64url'),
};
