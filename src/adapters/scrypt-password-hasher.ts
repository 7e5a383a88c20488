import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../ports/password-hasher.js';

// scrypt is Node's own memory-hard function, so no native addon is needed. The parameters are
// OWASP's for scrypt (N=2^17, r=8, p=1: 128 MiB and about half a second per hash here), and
// they are stored with each hash so they can be raised later without locking anyone out.
const DEFAULT = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...o, maxmem: 128 * o.N * o.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function scryptPasswordHasher(params = DEFAULT): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, params);
      return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
    },
    async verify(password, stored) {
      const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
      if (!m) return false;
      const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (N > 2 ** 20 || r > 16 || p > 4) return false;
      const expected = Buffer.from(m[5]!, 'base64url');
      const key = await derive(password, Buffer.from(m[4]!, 'base64url'), { N, r, p });
      return key.length === expected.length && timingSafeEqual(key, expected);
    },
  };
}
