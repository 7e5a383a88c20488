import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { paidOrder } from '../support/after-payment.js';
import { makeUser } from '../support/admin-client.js';
import { launchBrowser } from '../support/browser.js';
import { newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';

// The admin pages in a real browser (Debian's chromium through playwright-core) against the
// real server on 127.0.0.1. SETTLE_SCREENSHOTS=1 also refreshes the screenshots in docs/.
const SHOTS =
  process.env.SETTLE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : null;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('admin pages in a real browser', () => {
  let h: Harness;
  let browser: Browser;
  let support: { email: string; password: string };
  let admin: { email: string; password: string };
  let paid: { orderId: string; reference: string };
  let taskOrder: string;

  before(async () => {
    h = await startHarness();
    browser = await launchBrowser();
    support = await makeUser(h, 'support');
    admin = await makeUser(h, 'admin');
    paid = await paidOrder(h, { amount: 150000, lines: true });
    // An exception for a person: a payment that succeeds after its attempt was canceled.
    const order = await h.api('POST', '/v1/orders', {
      reference: newReference('BT'),
      currency: 'AMD',
      amount: 50000,
      customer: { email: 'late@example.com', name: 'Late Payer' },
    });
    taskOrder = order.body.id;
    const payment = await h.api('POST', `/v1/orders/${taskOrder}/payments`, { payment_method_id: h.paymentMethodId });
    const ref = payment.body.provider_ref as string;
    for (const status of ['canceled', 'executed']) {
      const r = await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: ref, status, hash: md5(`${TEST_PRIVATE_KEY};${ref};${status}`) }),
      });
      assert.equal(r.status, 200);
    }
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Signs in with the keyboard only: type the e-mail, Tab to the password, Enter. */
  async function signIn(page: Page, who: { email: string; password: string }, path = '/admin/orders') {
    await page.goto(`${h.url}${path}`);
    assert.match(page.url(), /\/admin\/sign-in\?next=/);
    // The field has autofocus; focusing it again does not wait on a busy machine's timing.
    await page.getByLabel('E-mail').focus();
    await page.keyboard.type(who.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(who.password);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/sign-in')), page.keyboard.press('Enter')]);
    assert.match(page.url(), new RegExp(`${path.replace(/[?]/g, '\\?')}$`));
  }

  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  };

  it('support finds an order paid through the sandbox, refunds part of it with the keyboard, and sees the refund on the timeline', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    if (SHOTS) {
      await page.goto(`${h.url}/admin/sign-in`);
      await shot(page, 'sign-in');
    }
    await signIn(page, support);

    // Find it by its reference through the filter form.
    await page.getByLabel('Reference').fill(paid.reference);
    await Promise.all([page.waitForURL(/reference=/), page.getByLabel('Reference').press('Enter')]);
    const rows = page.getByTestId('order-row');
    assert.equal(await rows.count(), 1);
    await shot(page, 'orders');
    await page.getByRole('link', { name: paid.reference }).focus();
    await Promise.all([page.waitForURL(new RegExp(`/admin/orders/${paid.orderId}$`)), page.keyboard.press('Enter')]);
    assert.equal((await page.getByTestId('track-payment').innerText()).trim(), 'paid');
    assert.match(await page.getByTestId('amount-paid').innerText(), /1,?500\.00 AMD/);

    // Refund 250.00 of 1,500.00 without the mouse: type into the labelled fields, Enter submits.
    const form = page.getByTestId('refund-form');
    await form.getByLabel(/Amount in AMD/).focus();
    await page.keyboard.type('250.00');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Mug arrived broken');
    await Promise.all([page.waitForURL(/notice=/), page.keyboard.press('Enter')]);
    assert.match(await page.getByRole('status').innerText(), /refund/i);
    const entries = page.getByTestId('timeline-entry');
    const texts = await entries.allInnerTexts();
    const refundLine = texts.find((t) => /refund/i.test(t) && /250\.00/.test(t));
    assert.ok(refundLine, `a refund of 250.00 on the timeline:\n${texts.join('\n')}`);
    assert.match(refundLine, new RegExp(`user:${support.email.replace(/[.]/g, '\\.')}`));
    await shot(page, 'order');

    const refunds = await h.api('GET', `/v1/orders/${paid.orderId}`, undefined, { key: h.adminKey });
    assert.deepEqual(
      refunds.body.refunds.map((r: { amount: number; reason: string }) => [r.amount, r.reason]),
      [[25000, 'Mug arrived broken']],
    );

    // On a phone the page fits the screen's width: wide tables scroll inside their own box.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    // (Page scripts are given as text: this project compiles without the DOM's types.)
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(overflow <= 1, `the order page is ${overflow}px wider than a phone`);
    // Every field a person fills in has a label (usable with a screen reader and the keyboard).
    const unlabeled = await page.evaluate(
      "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((el) => (el.labels?.length ?? 0) === 0).map((el) => el.name)",
    );
    assert.deepEqual(unlabeled, []);
    await shot(page, 'order-phone');
    await context.close();
  });

  it('support resolves a task with a note, and the count on the page goes down', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, support, '/admin/tasks');
    const before = await page.getByTestId('task-count').innerText();
    await shot(page, 'tasks');
    const tasks = await h.store.storage.read.listTasks({ orderId: taskOrder, status: 'open' });
    assert.equal(tasks.length, 1);
    await page.goto(`${h.url}/admin/tasks/${tasks[0]!.id}`);
    await page.getByLabel(/What was done/).fill('Customer confirmed; kept the payment and reopened the order.');
    await Promise.all([
      page.waitForURL(/notice=resolved/),
      page.getByTestId('resolve-form').getByRole('button', { name: 'Resolve' }).click(),
    ]);
    const task = await h.store.storage.read.getTask(tasks[0]!.id);
    assert.equal(task?.status, 'resolved');
    assert.equal(task?.resolution, 'Customer confirmed; kept the payment and reopened the order.');
    const [beforeMine, beforeAll] = before.split('/').map(Number);
    const [afterMine, afterAll] = (await page.getByTestId('task-count').innerText()).split('/').map(Number);
    assert.equal(afterAll, beforeAll! - 1);
    assert.equal(afterMine, beforeMine! - 1);
    await context.close();
  });

  it('a support user cannot reach the settings, by menu or by address', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, support);
    assert.equal(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count(),
      0,
    );
    const res = await page.goto(`${h.url}/admin/settings/payment-methods`);
    assert.equal(res?.status(), 403);
    assert.equal(await page.getByTestId('forbidden').count(), 1);
    await context.close();
  });

  it('a form sent without its CSRF token is refused and changes nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, support, `/admin/orders/${paid.orderId}`);
    const refundsBefore = (await h.store.storage.read.listRefunds(paid.orderId)).length;
    const form = page.getByTestId('refund-form');
    await form.getByLabel(/Amount in AMD/).fill('10.00');
    await form.getByLabel('Reason').fill('should not happen');
    // What a forged form on another site would send: everything but the token.
    await form.locator('input[name=_csrf]').evaluate((el: { remove(): void }) => el.remove());
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      form.getByRole('button', { name: 'Refund' }).click(),
    ]);
    assert.equal(response.status(), 403);
    assert.equal(await page.getByTestId('csrf-refused').count(), 1);
    assert.equal((await h.store.storage.read.listRefunds(paid.orderId)).length, refundsBefore);
    await context.close();
  });

  it('an admin sees the reconciliation and the settings', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, admin, '/admin/settings');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Settings');
    await shot(page, 'settings');
    await page.goto(`${h.url}/admin/settings/payment-methods/${h.paymentMethodId}`);
    assert.equal((await page.content()).includes(TEST_PRIVATE_KEY), false, 'the private key is never read back');
    await shot(page, 'settings-payment-method');
    // Upload a day's report through the form, as accounting would.
    const res = await page.goto(`${h.url}/admin/reconciliation`);
    assert.equal(res?.status(), 200);
    const today = new Date().toISOString().slice(0, 10);
    const providerRef = (await h.store.storage.read.listAttempts(paid.orderId))[0]!.providerRef;
    const csv = [
      'provider_ref,order_reference,type,amount,currency,status,time,fee',
      `${providerRef},${paid.reference},sale,1500.00,AMD,succeeded,${today}T10:00:00Z,15.00`,
      `NOPE-1,NOPE-1,sale,10.00,AMD,succeeded,${today}T11:00:00Z,0.10`,
    ].join('\n');
    await page.getByLabel('The day it covers (UTC)').fill(today);
    await page
      .getByLabel('Report file (CSV)')
      .setInputFiles({ name: `report-${today}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([
      page.waitForURL(/\/admin\/reconciliation\/[^/?]+\?notice=/),
      page.getByRole('button', { name: 'Import and reconcile' }).click(),
    ]);
    assert.match(await page.locator('main').innerText(), /missing_in_settle|missing in settle/i);
    await shot(page, 'reconciliation-run');
    await page.goto(`${h.url}/admin/reconciliation`);
    await shot(page, 'reconciliation');
    await context.close();
  });
});
