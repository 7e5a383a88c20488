import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AdminClient } from '../support/admin-client.js';
import { startHarness, type Harness } from '../support/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('settle user create and update', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    h = await startHarness();
    env = {
      ...process.env,
      DATABASE_URL: h.store.url,
      SETTLE_MASTER_KEY: h.masterKey.toString('base64'),
      LOG_LEVEL: 'silent',
    };
    delete env.NODE_TEST_CONTEXT;
  });
  after(() => h.close());

  function cli(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'user', ...args], {
        cwd: ROOT,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += String(d)));
      p.stderr.on('data', (d) => (stderr += String(d)));
      p.on('error', reject);
      p.on('close', (code) => resolve({ code, stdout, stderr }));
      p.stdin.end(stdin ?? '');
    });
  }

  it('prints a generated password once, and it signs in; the hash is memory-hard, not the password', async () => {
    const r = await cli(['create', '--email', 'Cli.Anna@Example.test', '--role', 'support']);
    assert.equal(r.code, 0, r.stderr);
    const password = r.stdout.trim();
    assert.ok(password.length >= 24, 'a generated password of 24 random bytes');
    const user = await h.deps.storage.read.findUserByEmail('cli.anna@example.test');
    assert.equal(user?.role, 'support');
    assert.match(user!.passwordHash, /^scrypt\$131072\$8\$1\$/);
    assert.equal(user!.passwordHash.includes(password), false);
    const c = new AdminClient(h.url);
    assert.equal((await c.signIn('cli.anna@example.test', password)).status, 303);
  });

  it('takes a password from standard input, refuses a weak one, a duplicate and an unknown role', async () => {
    const good = await cli(
      ['create', '--email', 'bob@example.test', '--role', 'admin', '--password-stdin'],
      'correct horse battery staple\n',
    );
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout, '', 'a given password is not printed');
    assert.equal((await new AdminClient(h.url).signIn('bob@example.test', 'correct horse battery staple')).status, 303);
    const weak = await cli(
      ['create', '--email', 'carl@example.test', '--role', 'admin', '--password-stdin'],
      'short\n',
    );
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /at least 12 characters/);
    const again = await cli(
      ['create', '--email', 'BOB@example.test', '--role', 'support', '--password-stdin'],
      'another long password\n',
    );
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already a user/);
    const role = await cli(['create', '--email', 'dan@example.test', '--role', 'root']);
    assert.notEqual(role.code, 0);
    assert.equal(await h.deps.storage.read.findUserByEmail('dan@example.test'), undefined);
  });

  it('disabling a user ends their session at once', async () => {
    await cli(
      ['create', '--email', 'eve@example.test', '--role', 'support', '--password-stdin'],
      'eve has a long password\n',
    );
    const c = new AdminClient(h.url);
    await c.signIn('eve@example.test', 'eve has a long password');
    assert.equal((await c.get('/admin/orders')).status, 200);
    const r = await cli(['update', '--email', 'eve@example.test', '--disable']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.get('/admin/orders')).status, 303, 'sent back to sign-in');
    assert.equal((await c.signIn('eve@example.test', 'eve has a long password')).status, 401);
  });
});
