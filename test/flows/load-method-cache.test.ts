// A payment method's settings are decrypted and bound once per composed Settle, not once per
// request: each request runs with its own copy of the deps (forRequest), which must share the cache.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { forRequest } from '../../src/app/deps.js';
import { loadMethod } from '../../src/app/load-method.js';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import { compose } from '../../src/main.js';
import { sandboxSettings } from '../support/harness.js';
import { freshStore } from '../support/store.js';

const store = await freshStore();
after(() => store.drop());

test("each request's deps share the bound payment methods: settings are decrypted once, and again after an edit", async () => {
  const { deps } = compose(
    { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:0' },
    { storage: store.storage },
  );
  const pm = await createPaymentMethod(deps, {
    name: 'Cached',
    connector: 'acquiring-v1',
    settings: sandboxSettings('http://127.0.0.1:9'),
  });
  assert.ok(pm.ok);
  const record = (await deps.storage.read.getPaymentMethod(pm.value.id))!;
  let decrypted = 0;
  const decrypt = deps.secretBox.decrypt.bind(deps.secretBox);
  deps.secretBox.decrypt = (sealed: string) => (decrypted++, decrypt(sealed));

  for (const id of ['req_a', 'req_b', 'req_c']) assert.ok(loadMethod(forRequest(deps, id), record).ok);
  assert.equal(decrypted, 1, 'bound on the first request, reused by the next two');

  // An edit (its secrets re-encrypted under a fresh nonce) is bound anew on its next use.
  const edited = { ...record, secretsCiphertext: deps.secretBox.encrypt(decrypt(record.secretsCiphertext)) };
  assert.ok(loadMethod(forRequest(deps, 'req_d'), edited).ok);
  assert.equal(decrypted, 2);
});
