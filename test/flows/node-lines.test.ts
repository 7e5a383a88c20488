import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createSecretBox } from '../../src/adapters/aes-secret-box.js';

// What differs between the Node.js lines Settle is tested on (20, 22, 24, 26; npm run test:node)
// and must not differ in what Settle does.

test('a secret whose GCM tag was cut short is refused on every Node line', () => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.encrypt('');
  assert.equal(box.decrypt(sealed), '');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  // iv (12 bytes) and the first 4 bytes of the right tag: Node 20-24 would verify a 4-byte tag
  // unless the decipher names the tag's length; Node 26 refuses it either way.
  const cut = `v1.${raw.subarray(0, 16).toString('base64url')}`;
  assert.throws(() => box.decrypt(cut), /auth/i);
});
