import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKey } from '../../src/app/api-keys.js';
import { setupDemo } from '../../src/demo/setup-demo.js';
import { compose } from '../../src/main.js';
import { freePort } from '../support/processes.js';
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

/** `settle serve --demo` on a data folder of its own: what it prints until it is listening and has said it all. */
async function demoBanner(dataDir: string): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'settle.db')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete env.NODE_TEST_CONTEXT;
  delete env.SETTLE_MASTER_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--demo', '--no-janitor'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  try {
    const deadline = Date.now() + 60_000;
    while (!/curl -H "Authorization: Bearer stl_/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no banner:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return out;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

test('npm start prints the store key (the same at the next start) and every demo payment method id', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-demo-start-'));
  try {
    const first = await demoBanner(dataDir);
    const key = /Store API key: +(stl_[A-Za-z0-9_-]+)/.exec(first)?.[1];
    assert.ok(key, first);
    const ids = [...first.matchAll(/^ +(pm_[a-z0-9]+) +.+\((\S+), ([A-Z]{3})\)$/gm)].map((m) => m[2]);
    assert.deepEqual(ids.sort(), [
      'acquiring-v1',
      'ameria',
      'arca',
      'cloudpayments',
      'idram',
      'robokassa',
      'tbank',
      'yookassa',
    ]);
    const second = await demoBanner(dataDir);
    assert.equal(/Store API key: +(stl_[A-Za-z0-9_-]+)/.exec(second)?.[1], key);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
