import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKey } from '../../src/app/api-keys.js';
import { setupDemo } from '../../src/demo/setup-demo.js';
import { compose } from '../../src/main.js';
import { freshStore } from '../support/store.js';

// What `npm start` and `settle` show a newcomer first: the version, and one demo key across restarts.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

test('settle --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.NODE_TEST_CONTEXT;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--version'], { cwd: ROOT, env });
  assert.equal(stdout.trim(), version);
});

test('the demo keeps one store key across restarts; keys of earlier starts are revoked; a revoked one stays revoked', async () => {
  const store = await freshStore();
  try {
    const composed = compose(
      { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:9' },
      { storage: store.storage },
    );
    const { deps } = composed;
    // A key an earlier version made at its start, under the demo's name.
    const earlier = await createApiKey(deps, { name: 'demo', scopes: ['store'] });
    const first = await setupDemo(deps);
    first.close();
    const second = await setupDemo(deps);
    second.close();
    assert.ok(first.storeKey?.startsWith('stl_'));
    assert.equal(second.storeKey, first.storeKey);
    const keys = (await listApiKeys(deps)).filter((k) => k.name === 'demo');
    assert.equal(keys.filter((k) => k.revokedAt === null).length, 1);
    assert.notEqual(keys.find((k) => k.id === earlier.record.id)?.revokedAt, null);

    const current = keys.find((k) => k.revokedAt === null)!;
    assert.ok((await revokeApiKey(deps, current.id)).ok);
    const third = await setupDemo(deps);
    third.close();
    assert.equal(third.storeKey, null);
    assert.equal((await listApiKeys(deps)).filter((k) => k.revokedAt === null).length, 0);
  } finally {
    await store.drop();
  }
});
