import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadMethod } from '../../src/app/payment-methods.js';
import type { AcquiringV1Settings } from '../../src/connectors/acquiring-v1/settings.js';
import { newWebhookSecret } from '../../src/domain/webhook-secret.js';
import { drainOutbox } from '../../src/worker/outbox-worker.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/adapters/logger.js';
import { buildServer } from '../../src/server.js';
import { AdminClient, makeUser } from '../support/admin-client.js';
import { paidOrder } from '../support/after-payment.js';
import { sandboxSettings, startHarness, TEST_PRIVATE_KEY, TEST_SHOP_ID, type Harness } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

type Admin = AdminClient & { email: string };

/** The method's settings as Settle uses them: decrypted and parsed. */
async function loaded(h: Harness, id: string): Promise<AcquiringV1Settings> {
  const pm = await h.deps.storage.read.getPaymentMethod(id);
  assert.ok(pm);
  const r = loadMethod(h.deps, pm);
  assert.ok(r.ok);
  return r.value.settings as AcquiringV1Settings;
}

/** The edit form's fields for the harness's method, as a browser would post them. */
function methodForm(h: Harness, over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const s = sandboxSettings(h.sandbox.url);
  return {
    name: 'Test acquirer',
    enabled: 'on',
    currencies: '',
    min_amount: '',
    max_amount: '',
    'setting.shop_id': s.shop_id,
    'setting.private_key': '',
    'setting.payment_page_url': s.payment_page_url,
    'setting.api_base_url': s.api_base_url,
    ...over,
  };
}

describe('admin settings pages', () => {
  let h: Harness;
  let admin: Admin;
  let support: Admin;
  let accounting: Admin;
  const pmPage = () => `/admin/settings/payment-methods/${h.paymentMethodId}`;

  before(async () => {
    h = await startHarness();
    [admin, support, accounting] = await Promise.all([
      AdminClient.signedIn(h, 'admin'),
      AdminClient.signedIn(h, 'support'),
      AdminClient.signedIn(h, 'accounting'),
    ]);
  });
  after(() => h.close());

  it('has an index linking to every section', async () => {
    const r = await admin.get('/admin/settings');
    assert.equal(r.status, 200);
    for (const href of ['payment-methods', 'notifications', 'webhooks', 'review', 'task-owners', 'api-keys'])
      assert.match(r.html, new RegExp(`href="/admin/settings/${href}"`));
    for (const href of [
      '/admin/settings/payment-methods',
      '/admin/settings/notifications',
      '/admin/settings/webhooks',
      '/admin/settings/review',
      '/admin/settings/task-owners',
      '/admin/settings/api-keys',
    ]) {
      assert.equal((await admin.get(href)).status, 200, href);
    }
  });

  it('edits a payment method with the private key left empty: the secret is kept, never shown, and callbacks still verify', async () => {
    const form = await admin.get(pmPage());
    assert.equal(form.status, 200);
    assert.match(form.html, new RegExp(`value="${TEST_SHOP_ID}"`));
    assert.match(form.html, /<input type="password" id="setting-private_key" name="setting.private_key"[^>]*value=""/);
    assert.match(form.html, /Leave empty to keep the current value/);
    assert.match(form.html, /maxlength="32"/, 'shop_id carries its schema limit');
    assert.ok(!form.html.includes(TEST_PRIVATE_KEY));

    const saved = await admin.post(
      pmPage(),
      methodForm(h, { name: 'Renamed acquirer', 'setting.shop_id': 'other-shop' }),
    );
    assert.equal(saved.status, 303, saved.html);
    assert.equal(saved.location, `${pmPage()}?notice=saved`);
    let s = await loaded(h, h.paymentMethodId);
    assert.equal(s.shopId, 'other-shop');
    assert.equal(s.privateKey.reveal(), TEST_PRIVATE_KEY, 'the secret is kept');
    const after = await admin.get(saved.location!);
    assert.match(after.html, /The payment method was saved/);
    assert.match(after.html, /Renamed acquirer/);
    assert.ok(!after.html.includes(TEST_PRIVATE_KEY));

    // Back to the sandbox's shop, key still empty: a real payment is verified with the kept key.
    assert.equal((await admin.post(pmPage(), methodForm(h, { name: 'Renamed acquirer' }))).status, 303);
    s = await loaded(h, h.paymentMethodId);
    assert.equal(s.shopId, TEST_SHOP_ID);
    await paidOrder(h);
    const list = await admin.get('/admin/settings/payment-methods');
    assert.match(list.html, /Renamed acquirer/);
    assert.ok(!list.html.includes(TEST_PRIVATE_KEY));
  });

  it('refuses invalid settings with a 4xx and changes nothing', async () => {
    const before = await h.deps.storage.read.getPaymentMethod(h.paymentMethodId);
    await admin.get(pmPage());
    const r = await admin.post(
      pmPage(),
      methodForm(h, {
        name: 'Should not be saved',
        'setting.shop_id': 'x'.repeat(33),
        'setting.private_key': 'a-new-key-that-must-not-stick',
      }),
    );
    assert.equal(r.status, 400);
    assert.match(r.html, /data-code="settings_invalid"/);
    assert.match(r.html, /shop_id must be 1 to 32 characters/);
    assert.ok(!r.html.includes('a-new-key-that-must-not-stick'));
    const bad = await admin.post(pmPage(), methodForm(h, { min_amount: '500', max_amount: '100' }));
    assert.equal(bad.status, 400);
    assert.match(bad.html, /data-code="amount_limits_invalid"/);
    assert.deepEqual(await h.deps.storage.read.getPaymentMethod(h.paymentMethodId), before);
    assert.equal((await loaded(h, h.paymentMethodId)).privateKey.reveal(), TEST_PRIVATE_KEY);
  });

  it('creates a payment method from the connector form, then replaces its secret', async () => {
    const chooser = await admin.get('/admin/settings/payment-methods/new');
    assert.equal(chooser.status, 200);
    const form = await admin.get('/admin/settings/payment-methods/new?connector=acquiring-v1');
    assert.match(form.html, /data-testid="pm-create-form"/);
    assert.match(form.html, /Shop ID/);
    const created = await admin.post('/admin/settings/payment-methods', {
      connector: 'acquiring-v1',
      ...methodForm(h, {
        name: 'Second acquirer',
        currencies: 'amd, usd',
        min_amount: '100',
        max_amount: '900000',
        'setting.shop_id': 'second',
        'setting.private_key': 'first-secret-of-the-second',
      }),
    });
    assert.equal(created.status, 303, created.html);
    const id = /\/payment-methods\/([^?]+)\?notice=created/.exec(created.location ?? '')?.[1];
    assert.ok(id);
    const pm = await h.deps.storage.read.getPaymentMethod(id);
    assert.deepEqual(
      [pm?.name, pm?.currencies, pm?.minAmount, pm?.maxAmount, pm?.enabled, pm?.autoApprove],
      ['Second acquirer', ['AMD', 'USD'], 100, 900000, true, false],
    );
    assert.equal((await loaded(h, id)).privateKey.reveal(), 'first-secret-of-the-second');

    const page = await admin.get(`/admin/settings/payment-methods/${id}`);
    assert.ok(!page.html.includes('first-secret-of-the-second'));
    const replaced = await admin.post(
      `/admin/settings/payment-methods/${id}`,
      methodForm(h, {
        name: 'Second acquirer',
        'setting.shop_id': 'second',
        'setting.private_key': 'the-replacement-secret',
      }),
    );
    assert.equal(replaced.status, 303);
    assert.equal((await loaded(h, id)).privateKey.reveal(), 'the-replacement-secret');
    const again = await admin.get(replaced.location!);
    assert.ok(!again.html.includes('the-replacement-secret'));
    const api = await h.api('GET', '/v1/payment-methods', undefined, { key: h.adminKey });
    assert.ok(!JSON.stringify(api.body).includes('the-replacement-secret'));
  });

  it('refuses support and accounting every settings page and post (403), changing nothing', async () => {
    const ep = await h.api(
      'POST',
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:9/hooks', events: ['*'] },
      { key: h.adminKey },
    );
    assert.equal(ep.status, 201);
    const pages = [
      '/admin/settings',
      '/admin/settings/payment-methods',
      '/admin/settings/payment-methods/new?connector=acquiring-v1',
      pmPage(),
      '/admin/settings/notifications',
      '/admin/settings/webhooks',
      `/admin/settings/webhooks/${ep.body.id}`,
      `/admin/settings/webhooks/${ep.body.id}/deliveries`,
      '/admin/settings/review',
      '/admin/settings/task-owners',
      '/admin/settings/api-keys',
    ];
    const before = {
      pm: await h.deps.storage.read.getPaymentMethod(h.paymentMethodId),
      keys: await h.deps.storage.read.listApiKeys(),
      ep: await h.deps.storage.read.getWebhookEndpoint(ep.body.id),
    };
    const notifications = await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey });
    for (const c of [support, accounting]) {
      for (const p of pages) {
        const r = await c.get(p);
        assert.equal(r.status, 403, `${p} for ${c.email}`);
        assert.match(r.html, /data-testid="forbidden"/);
      }
      assert.doesNotMatch((await c.get('/admin/orders')).html, /href="\/admin\/settings"/, 'the menu hides settings');
      const posts: [string, Record<string, string | string[]>][] = [
        [pmPage(), methodForm(h, { name: 'Hijacked' })],
        [
          '/admin/settings/payment-methods',
          { connector: 'acquiring-v1', ...methodForm(h, { name: 'Sneaky', 'setting.private_key': 'k' }) },
        ],
        ['/admin/settings/notifications', { from: 'Evil <evil@example.com>', send: [] }],
        ['/admin/settings/api-keys', { name: 'sneaky', scopes: 'admin' }],
        [`/admin/settings/api-keys/${before.keys[0]!.id}/revoke`, {}],
        [`/admin/settings/webhooks/${ep.body.id}/disable`, {}],
        ['/admin/settings/review', { blocked_emails: 'x@example.com' }],
      ];
      for (const [p, fields] of posts) assert.equal((await c.post(p, fields)).status, 403, `POST ${p} for ${c.email}`);
    }
    assert.deepEqual(await h.deps.storage.read.getPaymentMethod(h.paymentMethodId), before.pm);
    assert.deepEqual(await h.deps.storage.read.listApiKeys(), before.keys);
    assert.deepEqual(await h.deps.storage.read.getWebhookEndpoint(ep.body.id), before.ep);
    assert.equal((await h.deps.storage.read.listPaymentMethods()).filter((m) => m.name === 'Sneaky').length, 0);
    assert.deepEqual(
      (await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey })).body,
      notifications.body,
    );
  });

  it('saves the notification switches', async () => {
    const form = await admin.get('/admin/settings/notifications');
    assert.match(
      form.html,
      /data-testid="send-customer_paid"[^>]*checked|checked[^>]*data-testid="send-customer_paid"/,
    );
    const r = await admin.post('/admin/settings/notifications', {
      from: 'Shop <shop@shop.test>',
      order_department_email: 'orders@shop.test',
      send: ['department_failed', 'customer_refunded'],
    });
    assert.equal(r.status, 303, r.html);
    const s = await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey });
    assert.deepEqual(s.body, {
      from: 'Shop <shop@shop.test>',
      order_department_email: 'orders@shop.test',
      send: {
        department_new_order: false,
        department_processed: false,
        department_queued: false,
        department_failed: true,
        customer_paid: false,
        customer_refunded: true,
      },
    });
    const page = await admin.get(r.location!);
    assert.match(page.html, /The notification settings were saved/);
    assert.doesNotMatch(page.html, /value="customer_paid" checked/);
    assert.match(page.html, /value="customer_refunded" checked/);
    const bad = await admin.post('/admin/settings/notifications', {
      from: 'Shop <shop@shop.test>',
      order_department_email: 'not an address',
      send: [],
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      (await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey })).body,
      s.body,
      'unchanged',
    );
  });

  it('saves the review rules and the task owners', async () => {
    await admin.get('/admin/settings/review');
    const r = await admin.post('/admin/settings/review', {
      amount_above: 'USD 50000\namd 9000000',
      per_email_count: '3',
      per_email_hours: '24',
      per_ip_count: '',
      per_ip_hours: '',
      blocked_emails: 'fraud@example.com\n\n  thief@example.org ',
      blocked_domains: 'bad.example\n@worse.example',
    });
    assert.equal(r.status, 303, r.html);
    const rules = await h.api('GET', '/v1/settings/review', undefined, { key: h.adminKey });
    assert.deepEqual(rules.body, {
      amount_above: { USD: 50000, AMD: 9000000 },
      max_orders_per_email: { count: 3, window_hours: 24 },
      max_orders_per_ip: null,
      blocked_emails: ['fraud@example.com', 'thief@example.org'],
      blocked_domains: ['bad.example', '@worse.example'],
    });
    const page = await admin.get(r.location!);
    assert.match(page.html, /fraud@example.com\nthief@example.org<\/textarea>/);
    for (const bad of [
      { blocked_emails: 'not-an-email' },
      { amount_above: 'USD lots' },
      { per_email_count: '3', per_email_hours: '' },
    ] as Record<string, string>[]) {
      const refused = await admin.post('/admin/settings/review', {
        amount_above: '',
        blocked_emails: '',
        blocked_domains: '',
        ...bad,
      });
      assert.equal(refused.status, 422, JSON.stringify(bad));
    }
    assert.deepEqual(
      (await h.api('GET', '/v1/settings/review', undefined, { key: h.adminKey })).body,
      rules.body,
      'unchanged',
    );

    await admin.get('/admin/settings/task-owners');
    const owners = await admin.post('/admin/settings/task-owners', {
      'owner.double_payment': 'Boss@Shop.test',
      'owner.review': 'accounting',
      'owner.chargeback': '',
    });
    assert.equal(owners.status, 303, owners.html);
    const o = await h.api('GET', '/v1/settings/task-owners', undefined, { key: h.adminKey });
    assert.equal(o.body.double_payment, 'boss@shop.test');
    assert.equal(o.body.review, 'accounting');
    assert.equal(o.body.chargeback, 'accounting', 'the default');
    assert.equal((await admin.post('/admin/settings/task-owners', { 'owner.review': 'nobody' })).status, 422);
    assert.equal(
      (await h.api('GET', '/v1/settings/task-owners', undefined, { key: h.adminKey })).body.review,
      'accounting',
    );
  });

  it('creates a webhook endpoint showing its secret once; edits events and status map; disables and enables it', async () => {
    await admin.get('/admin/settings/webhooks');
    const created = await admin.post('/admin/settings/webhooks', {
      url: 'http://127.0.0.1:9/settings-page-hooks',
      events: ['payment.succeeded', 'refund.succeeded'],
      status_map_preset: 'opencart',
    });
    assert.equal(created.status, 200, created.html);
    const secret = /data-testid="webhook-secret">(whsec_[^<]+)</.exec(created.html)?.[1];
    assert.ok(secret);
    const list = await h.api('GET', '/v1/webhook-endpoints', undefined, { key: h.adminKey });
    const ep = list.body.data.find((e: { url: string }) => e.url === 'http://127.0.0.1:9/settings-page-hooks');
    assert.deepEqual(
      [ep.events, ep.status_map_preset, ep.status_map.processing],
      [['payment.succeeded', 'refund.succeeded'], 'opencart', '2'],
    );

    const edited = await admin.post(`/admin/settings/webhooks/${ep.id}`, {
      events: ['*'],
      status_map_preset: 'xcart',
      'map.processing': 'PX',
      'map.refunded': 'R',
    });
    assert.equal(edited.status, 303, edited.html);
    let now = (await h.deps.storage.read.getWebhookEndpoint(ep.id))!;
    assert.deepEqual(now.events, ['*']);
    assert.equal(now.statusMapPreset, 'xcart');
    assert.deepEqual(now.statusMap, {
      pending_payment: 'I',
      payment_failed: 'F',
      on_hold: 'Q',
      processing: 'PX',
      completed: 'C',
      canceled: 'D',
      refunded: 'R',
    });
    const unknown = await admin.post(`/admin/settings/webhooks/${ep.id}`, {
      events: ['nonsense.event'],
      status_map_preset: 'xcart',
    });
    assert.equal(unknown.status, 422);
    const none = await admin.post(`/admin/settings/webhooks/${ep.id}`, { status_map_preset: 'xcart' });
    assert.equal(none.status, 422);
    // A preset Settle does not know is refused when the endpoint is made, as when it is changed.
    const before = (await h.deps.storage.read.listWebhookEndpoints()).length;
    await admin.get('/admin/settings/webhooks');
    const badPreset = await admin.post('/admin/settings/webhooks', {
      url: 'http://127.0.0.1:9/bad-preset-hooks',
      events: ['payment.succeeded'],
      status_map_preset: 'magento-ish',
    });
    assert.equal(badPreset.status, 422, badPreset.html);
    assert.match(badPreset.html, /Unknown preset/);
    assert.equal((await h.deps.storage.read.listWebhookEndpoints()).length, before, 'nothing created');
    assert.deepEqual(await h.deps.storage.read.getWebhookEndpoint(ep.id), now, 'unchanged');

    const disabled = await admin.post(`/admin/settings/webhooks/${ep.id}/disable`, {});
    assert.equal(disabled.status, 303);
    assert.equal((await h.deps.storage.read.getWebhookEndpoint(ep.id))!.enabled, false);
    const page = await admin.get(disabled.location!);
    assert.match(page.html, /data-testid="webhook-enable"/);
    assert.match(page.html, /The endpoint was disabled/);
    assert.equal((await admin.post(`/admin/settings/webhooks/${ep.id}/enable`, {})).status, 303);
    now = (await h.deps.storage.read.getWebhookEndpoint(ep.id))!;
    assert.equal(now.enabled, true);

    for (const p of [
      '/admin/settings/webhooks',
      `/admin/settings/webhooks/${ep.id}`,
      `/admin/settings/webhooks/${ep.id}/deliveries`,
      '/admin/settings',
    ]) {
      const r = await admin.get(p);
      assert.equal(r.status, 200);
      assert.ok(!r.html.includes(secret) && !r.html.includes(secret.slice(6)), `${p} does not show the secret`);
    }
  });

  describe('resending a delivered webhook', () => {
    let receiver: WebhookReceiver;
    let endpointId: string;
    before(async () => {
      const secret = newWebhookSecret(randomBytes);
      receiver = await startWebhookReceiver(secret);
      const ep = await h.api(
        'POST',
        '/v1/webhook-endpoints',
        { url: `${receiver.url}/hooks`, events: ['payment.succeeded'], secret },
        { key: h.adminKey },
      );
      assert.equal(ep.status, 201);
      endpointId = ep.body.id;
    });
    after(() => receiver.close());

    it('puts it back in the queue and the receiver gets it again with the same webhook id', async () => {
      const { orderId, reference } = await paidOrder(h);
      await drainOutbox(h.deps);
      const first = await receiver.waitFor((w) => w.type === 'payment.succeeded' && w.verified);
      const [msg] = await h.deps.storage.read.listOutbox({ target: endpointId, orderId, limit: 10 });
      assert.ok(msg);
      assert.equal(msg.status, 'delivered');
      assert.equal(msg.id, first.id);

      const log = await admin.get(`/admin/settings/webhooks/${endpointId}/deliveries`);
      assert.equal(log.status, 200);
      assert.match(log.html, new RegExp(`data-message-id="${msg.id}"`));
      assert.match(log.html, new RegExp(reference));
      assert.match(log.html, new RegExp(`data-testid="resend-${msg.id}"`));

      const r = await admin.post(`/admin/settings/webhooks/${endpointId}/deliveries/${msg.id}/resend`, {});
      assert.equal(r.status, 303, r.html);
      const queued = (await h.deps.storage.read.getOutbox(msg.id))!;
      assert.deepEqual([queued.status, queued.attempts, queued.deliveredAt], ['pending', 0, null]);
      assert.match((await admin.get(r.location!)).html, /put back in the queue/);

      await drainOutbox(h.deps);
      await receiver.waitFor((w) => w.id === msg.id && w !== first);
      const copies = receiver.received().filter((w) => w.id === msg.id);
      assert.equal(copies.length, 2);
      assert.ok(copies.every((w) => w.verified));
      assert.deepEqual(copies[1]!.body, copies[0]!.body);
      assert.equal((await h.deps.storage.read.getOutbox(msg.id))!.status, 'delivered');
      const timeline = await h.api('GET', `/v1/orders/${orderId}/timeline`, undefined, { key: h.adminKey });
      assert.equal(timeline.status, 200);
      assert.ok(JSON.stringify(timeline.body).includes('sync.resent'), 'the timeline says who put it back');

      // A message of another endpoint is not resent through this one's address; the API resends too.
      assert.equal((await admin.post(`/admin/settings/webhooks/we_other/deliveries/${msg.id}/resend`, {})).status, 404);
      const api = await h.api('POST', `/v1/outbox/${msg.id}/resend`, undefined, { key: h.adminKey });
      assert.equal(api.status, 200, JSON.stringify(api.body));
      assert.equal(api.body.status, 'pending');
      const twice = await h.api('POST', `/v1/outbox/${msg.id}/resend`, undefined, { key: h.adminKey });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.code, 'outbox_message_pending');
      await drainOutbox(h.deps);
    });
  });

  it('creates an API key shown once that works, and after revoking it gets 401', async () => {
    await admin.get('/admin/settings/api-keys');
    const created = await admin.post('/admin/settings/api-keys', { name: 'erp script', scopes: ['admin'] });
    assert.equal(created.status, 200, created.html);
    const key = /data-testid="api-key-secret">(stl_[^<]+)</.exec(created.html)?.[1];
    assert.ok(key);
    const ok = await h.api('GET', '/v1/api-keys', undefined, { key });
    assert.equal(ok.status, 200);
    const listed = ok.body.data.find((k: { name: string }) => k.name === 'erp script');
    assert.deepEqual([listed.scopes, listed.revoked_at, listed.prefix], [['admin'], null, key.slice(0, 10)]);
    assert.ok(
      !JSON.stringify(ok.body).includes(key) && !JSON.stringify(ok.body).includes('key_hash') && !('keyHash' in listed),
    );

    const page = await admin.get('/admin/settings/api-keys');
    assert.ok(!page.html.includes(key), 'the list never shows the key');
    assert.match(page.html, /erp script/);
    assert.equal((await admin.post('/admin/settings/api-keys', { name: 'no scopes' })).status, 422);

    const revoked = await admin.post(`/admin/settings/api-keys/${listed.id}/revoke`, {});
    assert.equal(revoked.status, 303);
    assert.equal((await h.api('GET', '/v1/api-keys', undefined, { key })).status, 401);
    assert.equal((await admin.post(`/admin/settings/api-keys/${listed.id}/revoke`, {})).status, 409);
    const after = await admin.get(revoked.location!);
    assert.match(after.html, /The key was revoked/);
    assert.ok(!after.html.includes(key));
  });

  it('refuses a settings post without the CSRF token and changes nothing', async () => {
    await admin.get('/admin/settings/notifications');
    const before = (await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey })).body;
    const keys = await h.deps.storage.read.listApiKeys();
    const pm = await h.deps.storage.read.getPaymentMethod(h.paymentMethodId);
    const forged: [string, Record<string, string | string[]>][] = [
      ['/admin/settings/notifications', { from: 'Forged <f@example.com>', send: [] }],
      ['/admin/settings/api-keys', { name: 'forged', scopes: 'admin' }],
      [`/admin/settings/api-keys/${keys[0]!.id}/revoke`, {}],
      [pmPage(), methodForm(h, { name: 'Forged' })],
    ];
    for (const [p, fields] of forged) {
      const r = await admin.post(p, fields, { csrf: null });
      assert.equal(r.status, 403, p);
      assert.match(r.html, /data-testid="csrf-refused"/);
    }
    assert.deepEqual((await h.api('GET', '/v1/settings/notifications', undefined, { key: h.adminKey })).body, before);
    assert.deepEqual(await h.deps.storage.read.listApiKeys(), keys);
    assert.deepEqual(await h.deps.storage.read.getPaymentMethod(h.paymentMethodId), pm);
  });

  it('changes payment methods and webhook endpoints over the API too, secrets kept and masked', async () => {
    const r = await h.api(
      'PATCH',
      `/v1/payment-methods/${h.paymentMethodId}`,
      { name: 'Via API', settings: { private_key: '' }, max_amount: 5_000_000 },
      { key: h.adminKey },
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.settings.private_key, '********');
    assert.equal(r.body.max_amount, 5_000_000);
    assert.equal((await loaded(h, h.paymentMethodId)).privateKey.reveal(), TEST_PRIVATE_KEY);
    const invalid = await h.api(
      'PATCH',
      `/v1/payment-methods/${h.paymentMethodId}`,
      { settings: { shop_id: 'x'.repeat(33) } },
      { key: h.adminKey },
    );
    assert.equal(invalid.status, 400);
    assert.equal((await h.api('PATCH', '/v1/payment-methods/pm_nope', { name: 'x' }, { key: h.adminKey })).status, 404);
    assert.equal(
      (await h.api('PATCH', `/v1/payment-methods/${h.paymentMethodId}`, { name: 'x' })).status,
      403,
      'a store key',
    );

    const ep = await h.api(
      'POST',
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:9/x', events: ['*'], status_map_preset: 'joomla', status_map: { processing: 'Z' } },
      { key: h.adminKey },
    );
    const p = await h.api(
      'PATCH',
      `/v1/webhook-endpoints/${ep.body.id}`,
      { status_map_preset: 'opencart' },
      { key: h.adminKey },
    );
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.equal(p.body.status_map.processing, 'Z', 'the override is kept across a preset change');
    assert.equal(p.body.status_map.completed, '5');
    const off = await h.api('PATCH', `/v1/webhook-endpoints/${ep.body.id}`, { enabled: false }, { key: h.adminKey });
    assert.equal(off.body.enabled, false);
  });

  it('writes no secret it is given or makes to the logs', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged += String(chunk);
        done();
      },
    });
    const logging = await buildServer(h.deps, { logger: createLogger({ level: 'debug', destination: sink }) });
    await logging.listen({ host: '127.0.0.1', port: 0 });
    try {
      const addr = logging.server.address();
      assert.ok(addr && typeof addr === 'object');
      const u = await makeUser(h, 'admin');
      const c = new AdminClient(`http://127.0.0.1:${addr.port}`);
      assert.equal((await c.signIn(u.email, u.password)).status, 303);
      await c.get(pmPage());
      const newKey = 'logged-nowhere-private-key';
      assert.equal(
        (await c.post(pmPage(), methodForm(h, { name: 'Logged', 'setting.private_key': newKey }))).status,
        303,
      );
      assert.equal(
        (
          await c.post(
            pmPage(),
            methodForm(h, { 'setting.shop_id': 'y'.repeat(40), 'setting.private_key': 'refused-key-also-unlogged' }),
          )
        ).status,
        400,
      );
      assert.equal((await c.post(pmPage(), methodForm(h, { 'setting.private_key': TEST_PRIVATE_KEY }))).status, 303);
      const hook = await c.post('/admin/settings/webhooks', {
        url: 'http://127.0.0.1:9/log-hooks',
        events: ['*'],
        status_map_preset: '',
      });
      const secret = /data-testid="webhook-secret">(whsec_[^<]+)</.exec(hook.html)?.[1];
      const key = /data-testid="api-key-secret">(stl_[^<]+)</.exec(
        (await c.post('/admin/settings/api-keys', { name: 'logs', scopes: ['store'] })).html,
      )?.[1];
      assert.ok(secret && key);
      assert.match(logged, /payment method changed/, 'the log does have the lines');
      for (const s of [newKey, 'refused-key-also-unlogged', TEST_PRIVATE_KEY, secret, secret.slice(6), key, u.password])
        assert.ok(!logged.includes(s), `the logs hold ${s.slice(0, 8)}…`);
      assert.equal((await loaded(h, h.paymentMethodId)).privateKey.reveal(), TEST_PRIVATE_KEY);
    } finally {
      await logging.close();
    }
  });
});
