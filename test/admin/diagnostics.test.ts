import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import escapeHtml from 'escape-html';
import { after, before, describe, it } from 'node:test';
import { newWebhookSecret } from '../../src/domain/webhook-secret.js';
import { drainOutbox } from '../../src/worker/outbox-worker.js';
import { waitFor } from '../support/async.js';
import { paidOrder } from '../support/after-payment.js';
import { AdminClient } from '../support/admin-client.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('admin diagnostics: the callback log and the outbox', () => {
  let h: Harness;
  let refuser: Server;
  let admin: AdminClient & { email: string };
  let support: AdminClient & { email: string };
  let order: { orderId: string; paymentId: string; reference: string };
  let providerRef: string;
  let failedId: string;

  before(async () => {
    // Retries fast and gives up after three tries, against a store endpoint that always refuses.
    h = await startHarness({ outbox: { retryBaseMs: 20, retryMaxMs: 50, maxAttempts: 3 } });
    refuser = createServer((_req, res) => res.writeHead(500).end('down for maintenance'));
    await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
    const port = (refuser.address() as { port: number }).port;
    const ep = await h.api(
      'POST',
      '/v1/webhook-endpoints',
      { url: `http://127.0.0.1:${port}/hooks`, events: ['*'], secret: newWebhookSecret(randomBytes) },
      { key: h.adminKey },
    );
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    [admin, support] = await Promise.all([AdminClient.signedIn(h, 'admin'), AdminClient.signedIn(h, 'support')]);
    order = await paidOrder(h, { amount: 150000, email: 'ann.buyer@example.com' });
    providerRef = (await h.deps.storage.read.getAttempt(order.paymentId))!.providerRef!;
    await waitFor(
      'the webhooks are given up',
      async () => {
        await drainOutbox(h.deps);
        return (
          (await h.deps.storage.read.listOutbox({ orderId: order.orderId, status: 'pending', limit: 1 })).length === 0
        );
      },
      15_000,
      30,
    );
    const failed = await h.deps.storage.read.listOutbox({ orderId: order.orderId, status: 'failed', limit: 10 });
    assert.ok(failed.length > 0);
    failedId = failed[0]!.id;
  });
  after(async () => {
    await h.close();
    await new Promise((resolve) => refuser.close(resolve));
  });

  const outboxStatus = async (id: string) => (await h.deps.storage.read.getOutbox(id))!;

  it('shows the applied callback of a sandbox-paid order, found by order and by provider ref, with the request escaped', async () => {
    const page = await support.get(`/admin/callbacks?order_id=${order.orderId}`);
    assert.equal(page.status, 200);
    const rows = [
      ...page.html.matchAll(/data-testid="callback-row" data-callback-id="[^"]+" data-outcome="([^"]+)"/g),
    ].map((m) => m[1]);
    assert.ok(rows.includes('applied'), rows.join());
    assert.match(page.html, new RegExp(`href="/admin/orders/${order.orderId}">${order.reference}<`));
    assert.match(page.html, new RegExp(`<td>${providerRef}</td>`));
    assert.match(page.html, /data-testid="callback-details"/);
    assert.match(page.html, /data-testid="callback-body">\{&quot;/, 'the stored body, escaped');

    const byRef = await support.get(`/admin/callbacks?provider_ref=${encodeURIComponent(providerRef)}&outcome=applied`);
    assert.equal([...byRef.html.matchAll(/data-testid="callback-row"/g)].length, 1);
    const rejectedOnly = await support.get(`/admin/callbacks?order_id=${order.orderId}&outcome=rejected`);
    assert.equal([...rejectedOnly.html.matchAll(/data-testid="callback-row"/g)].length, 0);
    const otherOrder = await support.get('/admin/callbacks?order_id=ord_nope');
    assert.equal([...otherOrder.html.matchAll(/data-testid="callback-row"/g)].length, 0);
  });

  it('shows a forged callback as text, never as markup', async () => {
    const res = await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-note': '<i>hi</i>' },
      body: '<script>alert(1)</script>',
    });
    assert.ok(res.status >= 400);
    const page = await support.get('/admin/callbacks?outcome=rejected');
    assert.equal([...page.html.matchAll(/data-testid="callback-row"/g)].length, 1);
    assert.doesNotMatch(page.html, /<script>alert/);
    assert.match(page.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('shows the order’s outbox messages with their tries and errors; only the admin gets the button to put one back', async () => {
    const page = await support.get(`/admin/outbox?order_id=${order.orderId}`);
    assert.equal(page.status, 200);
    const rows = [
      ...page.html.matchAll(
        /data-testid="outbox-row" data-message-id="([^"]+)" data-status="([^"]+)" data-event-type="([^"]+)"/g,
      ),
    ];
    const stored = await h.deps.storage.read.listOutbox({ orderId: order.orderId, limit: 100 });
    assert.deepEqual(rows.map((m) => m[1]).sort(), stored.map((m) => m.id).sort());
    assert.ok(rows.some((m) => m[3] === 'payment.succeeded'));
    const lastError = stored.find((m) => m.id === failedId)!.lastError;
    assert.ok(lastError, 'the given-up message says why');
    assert.ok(page.html.includes(escapeHtml(lastError)), 'its last error is shown');
    assert.match(page.html, /data-testid="outbox-payload"/, 'support reads diagnostics: payloads are shown');
    assert.doesNotMatch(page.html, /data-testid="retry-message"/);
    const failedOnly = await admin.get('/admin/outbox?status=failed');
    assert.ok([...failedOnly.html.matchAll(/data-status="([^"]+)" data-event-type/g)].every((m) => m[1] === 'failed'));
    assert.match(failedOnly.html, /data-testid="retry-message"/);
    assert.equal((await admin.get('/admin/outbox?status=delivered')).html.match(/data-testid="outbox-row"/g), null);
  });

  it('refuses support (403) and a post without CSRF; lets the admin put a failed message back in the queue', async () => {
    await support.get('/admin/outbox');
    const bySupport = await support.post(`/admin/outbox/${failedId}/retry`, {});
    assert.equal(bySupport.status, 403);
    assert.match(bySupport.html, /data-testid="forbidden"/);
    assert.equal((await outboxStatus(failedId)).status, 'failed');

    await admin.get('/admin/outbox?status=failed');
    const forged = await admin.post(`/admin/outbox/${failedId}/retry`, {}, { csrf: null });
    assert.equal(forged.status, 403);
    assert.equal((await outboxStatus(failedId)).status, 'failed');

    const put = await admin.post(`/admin/outbox/${failedId}/retry`, {});
    assert.equal(put.status, 303, put.html);
    assert.equal(put.location, `/admin/outbox?order_id=${order.orderId}&notice=requeued`);
    const m = await outboxStatus(failedId);
    assert.deepEqual([m.status, m.attempts], ['pending', 0]);
    const after = await admin.get(put.location!);
    assert.match(after.html, /The message is back in the queue/);
    assert.match(after.html, new RegExp(`data-message-id="${failedId}" data-status="pending"`));

    const again = await admin.post(`/admin/outbox/${failedId}/retry`, {});
    assert.equal(again.status, 409);
    assert.match(again.html, /data-code="outbox_message_not_failed"/);
    assert.equal((await admin.post('/admin/outbox/obx_nope/retry', {})).status, 404);
  });
});
