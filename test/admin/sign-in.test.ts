import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { AdminClient, makeUser } from '../support/admin-client.js';

describe('admin sign-in, sessions and CSRF', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('sends a stranger to the sign-in page and lets a user in with a session cookie', async () => {
    const c = new AdminClient(h.url);
    const r = await c.get('/admin/orders');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/admin/sign-in?next=%2Fadmin%2Forders');
    const u = await makeUser(h, 'support');
    const form = await c.get('/admin/sign-in');
    assert.match(form.html, /name="_csrf"/);
    const res = await fetch(`${h.url}/admin/sign-in`, { method: 'GET' });
    const cookie = res.headers.getSetCookie().join('\n');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/i, 'no Secure flag over plain http on loopback');
    const signed = await c.post('/admin/sign-in', { email: u.email, password: u.password, next: '/admin/orders' });
    assert.equal(signed.status, 303, signed.html);
    assert.equal(signed.location, '/admin/orders');
    const page = await c.get('/admin/orders');
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="task-count"/);
  });

  it('refuses a wrong password without saying which part was wrong, and a sign-in form without its token', async () => {
    const u = await makeUser(h, 'accounting');
    const c = new AdminClient(h.url);
    const wrong = await c.signIn(u.email, 'not-the-password-at-all');
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /The e-mail or the password is not right/);
    const unknown = await c.signIn('nobody@example.test', 'not-the-password-at-all');
    assert.equal(unknown.status, 401);
    assert.match(unknown.html, /The e-mail or the password is not right/);
    await c.get('/admin/sign-in');
    const forged = await c.post('/admin/sign-in', { email: u.email, password: u.password }, { csrf: null });
    assert.equal(forged.status, 403);
    const right = await c.signIn(u.email, u.password);
    assert.equal(right.status, 303);
  });

  it('limits failed sign-ins per e-mail, even when the right password comes next', async () => {
    const u = await makeUser(h, 'support');
    const c = new AdminClient(h.url);
    for (let i = 0; i < 5; i++) assert.equal((await c.signIn(u.email, `wrong-password-${i}`)).status, 401);
    const limited = await c.signIn(u.email, u.password);
    assert.equal(limited.status, 429);
    assert.match(limited.html, /Too many failed sign-ins/);
  });

  it("refuses a form post without the CSRF token, or with another session's token, and changes nothing", async () => {
    const a = await AdminClient.signedIn(h, 'admin');
    const b = await AdminClient.signedIn(h, 'admin');
    await a.get('/admin/orders');
    await b.get('/admin/orders');
    const none = await a.post('/admin/sign-out', {}, { csrf: null });
    assert.equal(none.status, 403);
    assert.match(none.html, /data-testid="csrf-refused"/);
    const foreign = await a.post('/admin/sign-out', {}, { csrf: b.csrf });
    assert.equal(foreign.status, 403);
    assert.equal((await a.get('/admin/orders')).status, 200, 'still signed in');
    const out = await a.post('/admin/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal((await a.get('/admin/orders')).status, 303, 'signed out');
  });

  it('answers 503 with retry-after, not 500, while the database cannot be reached', async () => {
    const c = await AdminClient.signedIn(h, 'support');
    const read = h.deps.storage.read;
    const original = read.findSession;
    read.findSession = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    };
    try {
      const r = await fetch(`${h.url}/admin/orders`, {
        headers: {
          cookie: `settle_session=${(c as unknown as { cookies: Map<string, string> }).cookies.get('settle_session')}`,
        },
        redirect: 'manual',
      });
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.match(await r.text(), /cannot be reached just now/);
    } finally {
      read.findSession = original;
    }
    assert.equal((await c.get('/admin/orders')).status, 200);
  });

  it('does not redirect anywhere outside the admin pages after sign-in', async () => {
    const u = await makeUser(h, 'support');
    const c = new AdminClient(h.url);
    await c.get('/admin/sign-in');
    const r = await c.post('/admin/sign-in', { email: u.email, password: u.password, next: '//evil.example/admin/x' });
    assert.equal(r.location, '/admin/orders');
  });
});
