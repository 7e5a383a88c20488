import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretBox } from '../ports/secret-box.js';

/**
 * AES-256-GCM under a key derived (HKDF-SHA256) from the master key; HMAC keys are derived per
 * purpose, so a MAC for one purpose never verifies for another. Format: "v1.<base64url(iv|tag|ct)>".
 */
export function createSecretBox(masterKey: Buffer): SecretBox {
  if (masterKey.length < 32) throw new Error('the master key must be at least 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `settle:${info}`, 32));
  const encKey = derive('encrypt');
  const macKeys = new Map<string, Buffer>();
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
    },
    decrypt(ciphertext) {
      if (!ciphertext.startsWith('v1.')) throw new Error('unknown ciphertext format');
      const raw = Buffer.from(ciphertext.slice(3), 'base64url');
      // The tag is always 16 bytes. Without authTagLength, Node 20-24 accept a shorter (cut) tag
      // (24 with DEP0182) and Node 26 refuses it; with it, every line refuses it.
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12), { authTagLength: 16 });
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    mac(purpose, data) {
      let key = macKeys.get(purpose);
      if (!key) macKeys.set(purpose, (key = derive(`mac:${purpose}`)));
      return createHmac('sha256', key).update(data).digest('base64url');
    },
  };
}

/** Keys and tokens are stored only as this hash (they carry 128+ random bits, so no salt is needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
