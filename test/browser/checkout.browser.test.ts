import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Demo } from '../../src/demo/setup-demo.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchBrowser } from '../support/browser.js';

// A customer in a real browser (Debian's chromium) in the demo shop: for every connector, place
// an order, go through the next step (a redirect, or Idram's form that posts itself under the
// page's Content-Security-Policy), pay on the provider sandbox's page, and land on Settle's
// return page, which says Paid.

describe('checkout in a real browser, through every connector', () => {
  let server: DemoServer;
  let demo: Demo;
  let url: string;
  let browser: Browser;
  before(async () => {
    server = await startDemoServer();
    ({ demo, url } = server);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await server.close();
  });

  it('pays through each sandbox and comes back to a return page that says Paid', async () => {
    // CloudPayments shows its own result page and sends nobody back (test/flows/demo.test.ts pays it).
    for (const m of demo.methods.filter((x) => x.connector !== 'cloudpayments')) {
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
