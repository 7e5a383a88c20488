import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadMethod } from '../../src/app/payment-methods.js';
import { connectorRegistry } from '../../src/connectors/registry.js';
import { AdminClient } from '../support/admin-client.js';
import { DRIVERS } from '../support/conformance/drivers.js';
import { startHarness, type Harness } from '../support/harness.js';

// Every connector's settings form in the admin pages, built from its schema: it shows each
// setting, creates a method Settle can load, and never shows a secret back.
describe('admin settings form of every connector', () => {
  let h: Harness;
  let admin: AdminClient;
  before(async () => {
    h = await startHarness();
    admin = await AdminClient.signedIn(h, 'admin');
  });
  after(() => h.close());

  it('has a driver, and so a form test, for every registered connector', () => {
    assert.deepEqual(DRIVERS.map((d) => d.connector).sort(), [...connectorRegistry().keys()].sort());
  });

  for (const driver of DRIVERS) {
    it(`${driver.connector}: the form shows every setting and creates a method that loads`, async () => {
      const sandbox = await driver.start();
      try {
        const connector = h.deps.connectors.get(driver.connector)!;
        const form = await admin.get(`/admin/settings/payment-methods/new?connector=${driver.connector}`);
        assert.equal(form.status, 200);
        const settings = sandbox.settings();
        for (const name of Object.keys(connector.settingsSchema.properties as object))
          assert.match(form.html, new RegExp(`name="setting\\.${name}"`), `${driver.connector}: input for ${name}`);
        const fields: Record<string, string> = {
          connector: driver.connector,
          name: `Form ${driver.connector}`,
          enabled: 'on',
          currencies: driver.currency,
          min_amount: '',
          max_amount: '',
        };
        for (const [k, v] of Object.entries(settings)) fields[`setting.${k}`] = String(v);
        const created = await admin.post('/admin/settings/payment-methods', fields);
        assert.equal(created.status, 303, created.html.slice(0, 2000));
        const id = /\/payment-methods\/([^?]+)\?notice=created/.exec(created.location ?? '')?.[1];
        assert.ok(id);
        const pm = await h.deps.storage.read.getPaymentMethod(id);
        assert.ok(pm && loadMethod(h.deps, pm).ok, 'the method loads');
        const page = await admin.get(`/admin/settings/payment-methods/${id}`);
        for (const secret of driver.secrets) assert.equal(page.html.includes(secret), false, 'a secret is shown');
      } finally {
        await sandbox.close();
      }
    });
  }
});
