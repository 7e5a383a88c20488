// The outbox messages an admin page's action produces carry that page request's id, as an API
// call's do (test/flows/observability.test.ts): each request runs its use case with its own
// req.deps, and a page that used the app's shared deps instead would leave them without one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminClient } from '../support/admin-client.js';
import { newReference, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
  const ep = await h.api(
    'POST',
    '/v1/webhook-endpoints',
    { url: 'http://127.0.0.1:9/never', events: ['*'] },
    { key: h.adminKey },
  );
  assert.equal(ep.status, 201, JSON.stringify(ep.body));
});
after(() => h.close());

test("an order canceled on its admin page: the messages of the cancel carry the page request's id", async () => {
  const created = await h.api('POST', '/v1/orders', { reference: newReference('RQ'), currency: 'AMD', amount: 1500 });
  assert.equal(created.status, 201);
  const orderId = created.body.id as string;
  const support = await AdminClient.signedIn(h, 'support');
  await support.get(`/admin/orders/${orderId}`);
  const r = await support.post(`/admin/orders/${orderId}/cancel`, { reason: 'customer called' });
  assert.equal(r.status, 303, r.html);
  assert.match(r.requestId ?? '', /^req_/);

  const outbox = await h.api('GET', `/v1/outbox?order_id=${orderId}`, undefined, { key: h.adminKey });
  const ids = (outbox.body.data as { event_type: string; request_id: string | null }[]).map((m) => [
    m.event_type,
    m.request_id,
  ]);
  const ofCancel = ids.filter(([, id]) => id !== created.headers.get('x-request-id'));
  assert.ok(ofCancel.length > 0, JSON.stringify(ids));
  assert.deepEqual(
    ofCancel.map(([, id]) => id),
    ofCancel.map(() => r.requestId),
    JSON.stringify(ids),
  );
});
