import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Demo } from '../../src/demo/setup-demo.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { pressOnPage } from '../support/conformance/browser-steps.js';

// The demo as `npm start` runs it: every connector's sandbox on the same server, and a shop that
// pays through whichever the customer picks, end to end over real HTTP.

let server: DemoServer;
let demo: Demo;
let url: string;
before(async () => {
  server = await startDemoServer();
  ({ demo, url } = server);
});
after(() => server.close());

/** What the browser does with a next step: follow a redirect, or post a self-posting form. */
async function throughNextStep(
  res: Response,
): Promise<{ url: string; method: 'GET' | 'POST'; form?: Record<string, string> }> {
  if (res.status === 303) return { url: new URL(res.headers.get('location')!, url).toString(), method: 'GET' };
  assert.equal(res.status, 200);
  const page = await res.text();
  const action = /<form id="next-step" method="post" action="([^"]+)"/.exec(page)?.[1];
  assert.ok(action, 'a self-posting form');
  const form = Object.fromEntries(
    [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, n, v]) => [n!, v!]),
  );
  return { url: action.replace(/&amp;/g, '&'), method: 'POST', form };
}

const SHOWS_OWN_RESULT = new Set(['cloudpayments']);

async function newestOrderPage(): Promise<string | null> {
  const shop = await (await fetch(`${url}/demo`)).text();
  const path = /<a href="(\/demo\/orders\/[^"]+)">/.exec(shop)?.[1];
  return path ? `${url}${path}` : null;
}

test('the demo offers every connector and a customer pays through each sandbox', async () => {
  const shop = await (await fetch(`${url}/demo`)).text();
  assert.ok(demo.methods.length >= 1);
  for (const m of demo.methods) {
    assert.ok(shop.includes(`value="${m.paymentMethodId}"`), `the shop offers ${m.connector}`);
    const placed = await fetch(`${url}/demo/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'qty_JAM-350': '1', method: m.paymentMethodId, email: 'demo@example.test' }),
      redirect: 'manual',
    });
    const step = await throughNextStep(placed);
    // CloudPayments shows its own result page and sends nobody back: the customer goes to the
    // shop's order page by themselves (the newest order in the demo's list).
    const back =
      (await pressOnPage(step.url, 'pay', step)) ??
      (SHOWS_OWN_RESULT.has(m.connector) ? await newestOrderPage() : null);
    assert.ok(back, `${m.connector}: the sandbox sends the customer back`);
    // Follow the customer home: the provider's return address, then Settle's return page.
    let page = '';
    for (let i = 0; i < 30; i++) {
      page = await (await fetch(back!)).text();
      if (/payment-status">Paid</i.test(page)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(page, /data-testid="payment-status">Paid</i, `${m.connector}: paid`);
  }
});

test('the demo shop: an empty cart is a page that leads back; recent orders have a header and states in words', async () => {
  const empty = await fetch(`${url}/demo/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'qty_JAM-350': '0', method: demo.methods[0]!.paymentMethodId }),
  });
  assert.equal(empty.status, 400);
  const text = await empty.text();
  assert.match(text, /<h1>Your cart is empty<\/h1>/);
  assert.match(text, /href="\/demo"/);
  const shop = await (await fetch(`${url}/demo`)).text();
  assert.match(shop, /<th>Order<\/th> <th>Amount<\/th> <th>State<\/th> <th>Payment<\/th>/);
  assert.doesNotMatch(shop, /<td>(pending_payment|payment_failed)<\/td>/);
  // The seed acquirer's sandbox page names the currency beside the amount.
  const placed = await fetch(`${url}/demo/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'qty_JAM-350': '1', method: demo.methods[0]!.paymentMethodId }),
    redirect: 'manual',
  });
  const step = await throughNextStep(placed);
  assert.match(await (await fetch(step.url)).text(), /data-testid="amount">2500\.00 AMD</);
});
