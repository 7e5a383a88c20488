import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AdminClient } from '../support/admin-client.js';
import { newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('admin task queue: filters, assign, resolve', () => {
  let h: Harness;
  let support: AdminClient & { email: string };
  let colleague: AdminClient & { email: string };
  let accounting: AdminClient & { email: string };
  let orderId: string;
  let taskId: string;

  /** An order paid with the wrong amount: on hold with one amount_mismatch task for support. */
  async function mismatchedOrder() {
    const order = await h.api('POST', '/v1/orders', { reference: newReference('TK'), currency: 'AMD', amount: 150000 });
    assert.equal(order.status, 201);
    const payment = await h.api('POST', `/v1/orders/${order.body.id}/payments`, {
      payment_method_id: h.paymentMethodId,
    });
    assert.equal(payment.status, 201);
    const ref = payment.body.provider_ref as string;
    const res = await fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        order_id: ref,
        status: 'executed',
        hash: md5(`${TEST_PRIVATE_KEY};${ref};executed`),
        amount: '1.00',
        currency: 'AMD',
      }),
    });
    assert.equal(res.status, 200);
    const tasks = await h.deps.storage.read.listTasks({ orderId: order.body.id });
    assert.deepEqual(
      tasks.map((t) => [t.kind, t.owner, t.status]),
      [['amount_mismatch', 'support', 'open']],
    );
    return { orderId: order.body.id as string, taskId: tasks[0]!.id, reference: order.body.reference as string };
  }

  const task = async (id: string) => (await h.deps.storage.read.getTask(id))!;
  const rowIds = (page: string) =>
    [...page.matchAll(/data-testid="task-row" data-task-id="([^"]+)"/g)].map((m) => m[1]);

  before(async () => {
    h = await startHarness();
    [support, colleague, accounting] = await Promise.all([
      AdminClient.signedIn(h, 'support'),
      AdminClient.signedIn(h, 'support'),
      AdminClient.signedIn(h, 'accounting'),
    ]);
    ({ orderId, taskId } = await mismatchedOrder());
  });
  after(() => h.close());

  it('shows the open task in the queue with its order, owner and counts, and filters by kind, owner and order', async () => {
    const page = await support.get('/admin/tasks');
    assert.equal(page.status, 200);
    assert.ok(rowIds(page.html).includes(taskId));
    assert.match(page.html, new RegExp(`href="/admin/orders/${orderId}"`));
    assert.match(page.html, /data-testid="count-by-kind"[^]*amount mismatch<\/a>: <span data-count="1">/);
    assert.match(page.html, /data-testid="count-by-owner"[^]*support<\/a>: <span data-count="1">/);

    assert.deepEqual(rowIds((await support.get('/admin/tasks?kind=amount_mismatch')).html), [taskId]);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?kind=double_payment')).html), []);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?owner=support')).html), [taskId]);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?owner=mine')).html), [taskId], 'owned by my role');
    assert.deepEqual(rowIds((await accounting.get('/admin/tasks?owner=mine')).html), [], 'not accounting’s');
    assert.deepEqual(rowIds((await support.get('/admin/tasks?owner=unowned')).html), []);
    assert.deepEqual(rowIds((await support.get(`/admin/tasks?order_id=${orderId}`)).html), [taskId]);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?order_id=ord_nope')).html), []);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?status=resolved')).html), []);
    const odd = await support.get('/admin/tasks?kind=<b>nope</b>');
    assert.equal(odd.status, 200);
    assert.match(odd.html, /Ignored unknown filter value\(s\): kind &quot;&lt;b&gt;nope&lt;\/b&gt;&quot;/);
  });

  it('refuses a post without the CSRF token, and from someone signed out, and changes nothing', async () => {
    await support.get(`/admin/tasks/${taskId}`);
    const forged = await support.post(`/admin/tasks/${taskId}/resolve`, { note: 'done' }, { csrf: null });
    assert.equal(forged.status, 403);
    assert.match(forged.html, /data-testid="csrf-refused"/);
    const foreign = await support.post(`/admin/tasks/${taskId}/assign`, { to: 'me' }, { csrf: accounting.csrf });
    assert.equal(foreign.status, 403);
    const stranger = new AdminClient(h.url);
    assert.equal((await stranger.post(`/admin/tasks/${taskId}/resolve`, { note: 'done' }, { csrf: null })).status, 401);
    const t = await task(taskId);
    assert.deepEqual([t.status, t.owner], ['open', 'support']);
  });

  it('assigns to me from the queue, to a role and to a colleague by e-mail; an unknown e-mail is refused', async () => {
    await support.get('/admin/tasks');
    const took = await support.post(`/admin/tasks/${taskId}/assign`, { to: 'me', from: 'list' });
    assert.equal(took.status, 303, took.html);
    assert.equal(took.location, '/admin/tasks?notice=assigned');
    assert.equal((await task(taskId)).owner, support.email.toLowerCase());
    const queue = await support.get('/admin/tasks?notice=assigned');
    assert.match(queue.html, /class="notice" role="status">The task was assigned\./);
    assert.deepEqual(rowIds((await support.get('/admin/tasks?owner=mine')).html), [taskId]);
    assert.deepEqual(rowIds((await colleague.get('/admin/tasks?owner=mine')).html), [], 'no longer the role’s');
    assert.match((await support.get('/admin/tasks')).html, /data-testid="task-count"[^>]*>1\/1</);

    await support.get(`/admin/tasks/${taskId}`);
    const unknown = await support.post(`/admin/tasks/${taskId}/assign`, { to: 'email', email: 'nobody@example.test' });
    assert.equal(unknown.status, 404);
    assert.equal((await task(taskId)).owner, support.email.toLowerCase());
    const toRole = await support.post(`/admin/tasks/${taskId}/assign`, { to: 'accounting' });
    assert.equal(toRole.status, 303);
    assert.equal((await task(taskId)).owner, 'accounting');
    const toColleague = await support.post(`/admin/tasks/${taskId}/assign`, {
      to: 'email',
      email: colleague.email.toUpperCase(),
    });
    assert.equal(toColleague.status, 303);
    assert.equal(toColleague.location, `/admin/tasks/${taskId}?notice=assigned`);
    assert.equal((await task(taskId)).owner, colleague.email.toLowerCase());
    assert.deepEqual(rowIds((await colleague.get('/admin/tasks?owner=mine')).html), [taskId]);
    const events = (await h.deps.storage.read.listEvents(orderId)).filter((e) => e.kind === 'task.assigned');
    assert.equal(events.length, 3);
    assert.equal(events[0]!.actor, `user:${support.email}`);
  });

  it('refuses to resolve without a note, then resolves with one: resolved in storage and on the timeline', async () => {
    const detail = await colleague.get(`/admin/tasks/${taskId}`);
    assert.equal(detail.status, 200);
    assert.match(detail.html, /data-testid="resolve-form"/);
    for (const note of ['', '   ']) {
      const refused = await colleague.post(`/admin/tasks/${taskId}/resolve`, { note });
      assert.equal(refused.status, 400, refused.html);
      assert.match(refused.html, /data-testid="refusal" data-code="invalid_request"/);
      assert.equal((await task(taskId)).status, 'open');
    }
    const missing = await colleague.post(`/admin/tasks/${taskId}/resolve`, {});
    assert.equal(missing.status, 400);

    const done = await colleague.post(`/admin/tasks/${taskId}/resolve`, {
      note: 'Customer paid the rest by <bank> transfer',
    });
    assert.equal(done.status, 303, done.html);
    assert.equal(done.location, `/admin/tasks/${taskId}?notice=resolved`);
    const t = await task(taskId);
    assert.deepEqual([t.status, t.resolution], ['resolved', 'Customer paid the rest by <bank> transfer']);
    const events = await h.deps.storage.read.listEvents(orderId);
    const resolved = events.filter((e) => e.kind === 'task.resolved');
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]!.actor, `user:${colleague.email}`);
    assert.equal(resolved[0]!.taskId, taskId);

    const page = await colleague.get(`/admin/tasks/${taskId}?notice=resolved`);
    assert.match(page.html, /data-testid="task-detail" data-status="resolved"/);
    assert.match(page.html, /data-testid="resolution">Customer paid the rest by &lt;bank&gt; transfer</);
    assert.doesNotMatch(page.html, /data-testid="resolve-form"/);
    assert.deepEqual(rowIds((await colleague.get('/admin/tasks')).html), [], 'gone from the open queue');
    assert.deepEqual(rowIds((await colleague.get('/admin/tasks?status=resolved')).html), [taskId]);

    await colleague.get('/admin/tasks?status=resolved');
    const again = await colleague.post(`/admin/tasks/${taskId}/resolve`, { note: 'again' });
    assert.equal(again.status, 409);
    assert.equal((await h.deps.storage.read.listEvents(orderId)).filter((e) => e.kind === 'task.resolved').length, 1);
  });

  it('answers 404 for a task that does not exist, and a notice key it does not know shows nothing', async () => {
    assert.equal((await support.get('/admin/tasks/task_nope')).status, 404);
    const page = await support.get('/admin/tasks?notice=constructor');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /class="notice"/);
  });
});
