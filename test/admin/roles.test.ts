import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminRouteTable } from '../../src/admin/plugin.js';
import { can, ROLES, type Role } from '../../src/domain/roles.js';
import { AdminClient } from '../support/admin-client.js';
import { startHarness, type Harness } from '../support/harness.js';

// Roles are enforced on every route, not only hidden in the menu: each admin route is requested
// by each role that lacks its permission (with a valid CSRF token on posts, so only the role can
// be what refuses it), and must answer 403 before anything runs.
describe('admin roles on every route', () => {
  let h: Harness;
  const clients = new Map<Role, AdminClient>();
  before(async () => {
    h = await startHarness();
    for (const role of ROLES) clients.set(role, await AdminClient.signedIn(h, role));
  });
  after(() => h.close());

  it('every admin route names a permission, and each role without it gets 403', async () => {
    const routes = adminRouteTable().filter((r) => r.method === 'GET' || r.method === 'POST');
    assert.ok(routes.length >= 10, `only ${routes.length} admin routes registered`);
    const refused: string[] = [];
    for (const r of routes) {
      if (r.permission === 'public' || r.permission === 'signed_in') continue;
      const path = r.url.replace(/:(\w+)/g, 'x_$1');
      for (const role of ROLES) {
        if (can(role, r.permission)) continue;
        const c = clients.get(role)!;
        await c.get('/admin/orders'); // a fresh CSRF token of this session
        const answer = r.method === 'GET' ? await c.get(path) : await c.post(path, {});
        assert.equal(answer.status, 403, `${role} ${r.method} ${path} (${r.permission}) answered ${answer.status}`);
        assert.match(answer.html, /data-testid="forbidden"/);
        refused.push(`${role} ${r.method} ${path}`);
      }
    }
    assert.ok(refused.includes('support GET /admin/settings'), 'support is refused the settings');
    assert.ok(refused.includes('accounting POST /admin/orders/x_id/cancel'), 'accounting may not cancel');
    assert.ok(refused.includes('support POST /admin/reconciliation/runs'), 'support may not import a report');
  });

  it('an unknown admin page is a 404, signed in or not', async () => {
    assert.equal((await clients.get('admin')!.get('/admin/no-such-page')).status, 404);
    assert.equal((await new AdminClient(h.url).get('/admin/no-such-page')).status, 404);
  });

  it('the menu shows each role only what it may open', async () => {
    const support = await clients.get('support')!.get('/admin/orders');
    assert.doesNotMatch(support.html, /href="\/admin\/settings"/);
    assert.doesNotMatch(support.html, /href="\/admin\/reconciliation"/);
    const accounting = await clients.get('accounting')!.get('/admin/orders');
    assert.match(accounting.html, /href="\/admin\/reconciliation"/);
    assert.doesNotMatch(accounting.html, /href="\/admin\/settings"/);
    const admin = await clients.get('admin')!.get('/admin/orders');
    assert.match(admin.html, /href="\/admin\/settings"/);
  });
});
