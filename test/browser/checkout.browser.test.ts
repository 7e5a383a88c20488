import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { setupDemo, type Demo } from '../../src/demo/setup-demo.js';
import { compose } from '../../src/main.js';
import { buildServer } from '../../src/server.js';
import { launchBrowser } from '../support/browser.js';
import { freshStore, type TestStore } from '../support/store.js';
import { testLogger } from '../support/test-logs.js';

// A customer in a real browser (Debian's chromium) in the demo shop: for every connector, place
// an order, go through the next step (a redirect, or Idram's form that posts itself under the
// page's Content-Security-Policy), pay on the provider sandbox's page, and land on Settle's
// return page, which says Paid.

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

describe('checkout in a real browser, through every connector', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let demo: Demo;
  let url: string;
  let browser: Browser;
  before(async () => {
    store = await freshStore();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const composed = compose(
      { databaseUrl: store.url, masterKey: randomBytes(32), publicUrl: url },
      { storage: store.storage },
    );
    demo = await setupDemo(composed.deps);
    app = await buildServer(composed.deps, { logger: testLogger(), demo });
    await app.listen({ host: '127.0.0.1', port });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    demo.close();
    await app.close();
    await store.drop();
  });

  it('pays through each sandbox and comes back to a return page that says Paid', async () => {
    for (const m of demo.methods) {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
      });
      await page.goto(`${url}/demo`);
      await page.getByTestId(`method-${m.paymentMethodId}`).check();
      await page.getByTestId('place-order').click();
      // The provider's page, reached by a redirect or by the self-posting form, without a click.
      await page.waitForURL((u) => u.pathname.startsWith(m.prefix), { timeout: 10_000 });
      await page.locator('form[action$="pay"] button').first().click();
      await page.waitForURL((u) => u.pathname.startsWith('/return/'), { timeout: 10_000 });
      await page.getByTestId('payment-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(blocked, [], `${m.connector}: nothing blocked by the page's policy`);
      await page.close();
    }
  });
});
