import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CallbackRecord } from '../../src/domain/callback-record.js';
import { AdminClient } from '../support/admin-client.js';
import { newReference, startHarness, TEST_PRIVATE_KEY, type Harness } from '../support/harness.js';

// The callback log pages newest first by keyset (received_at, id) and narrows to one order, in
// the API and on the admin page: after a burst of duplicates support reads one order's callbacks.

type Logged = { id: string; received_at: string; order_id: string | null; outcome: string };
type Page = { status: number; body: { data: Logged[]; next_cursor: string | null } & Record<string, unknown> };

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const newestFirst = (a: Logged, b: Logged) =>
  a.received_at === b.received_at ? (a.id < b.id ? 1 : -1) : a.received_at < b.received_at ? 1 : -1;
const rowIds = (page: string) =>
  [...page.matchAll(/data-testid="callback-row" data-callback-id="([^"]+)"/g)].map((m) => m[1]!);
const href = (s: string) => s.replaceAll('&amp;', '&');

describe('callback log: keyset pages and the order filter', () => {
  let h: Harness;
  let support: AdminClient;
  const orders: { id: string; ref: string }[] = [];

  const log = (query: string): Promise<Page> => h.api('GET', `/v1/callbacks?${query}`, undefined, { key: h.adminKey });
  const signed = (ref: string, status: string) =>
    fetch(`${h.url}/callbacks/${h.paymentMethodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: ref, status, hash: md5(`${TEST_PRIVATE_KEY};${ref};${status}`) }),
    });
  /** Every page of the query, following next_cursor: the callbacks in the order the pages gave them. */
  async function walk(query: string): Promise<{ seen: Logged[]; pages: number }> {
    const seen: Logged[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await log(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(Object.keys(page.body).sort(), ['data', 'next_cursor']);
      seen.push(...page.body.data);
      cursor = page.body.next_cursor;
      pages += 1;
      assert.ok(pages < 200, 'the walk ends');
    } while (cursor);
    return { seen, pages };
  }

  before(async () => {
    h = await startHarness();
    support = await AdminClient.signedIn(h, 'support');
    for (const prefix of ['CLA', 'CLB']) {
      const ref = newReference(prefix);
      const order = await h.api('POST', '/v1/orders', { reference: ref, currency: 'AMD', amount: 150000 });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      const pay = await h.api('POST', `/v1/orders/${order.body.id}/payments`, { payment_method_id: h.paymentMethodId });
      assert.equal(pay.status, 201, JSON.stringify(pay.body));
      assert.equal((await fetch(pay.body.next_step.url)).status, 200);
      orders.push({ id: order.body.id, ref: pay.body.provider_ref });
    }
    const [a, b] = [orders[0]!, orders[1]!];
    // Five callbacks across the two orders: a payment, its duplicates and a stale one.
    for (const [ref, status] of [
      [a.ref, 'executed'],
      [b.ref, 'executed'],
      [a.ref, 'executed'],
      [b.ref, 'executed'],
      [a.ref, 'opened'],
    ] as const)
      assert.equal((await signed(ref, status)).status, 200);
  });
  after(async () => {
    await h?.close();
  });

  it('walks every callback exactly once, newest first, two a page', async () => {
    const { seen, pages } = await walk('limit=2');
    assert.equal(seen.length, 5);
    assert.equal(pages, 3);
    assert.equal(new Set(seen.map((c) => c.id)).size, 5, 'none twice');
    assert.deepEqual(seen, [...seen].sort(newestFirst), 'newest first, id the tiebreak');
    const all = (await log('limit=500')).body;
    assert.deepEqual(
      seen.map((c) => c.id),
      all.data.map((c) => c.id),
    );
    assert.equal(all.next_cursor, null, 'one page holds them all: no cursor');
    const stored = await h.store.storage.read.listCallbacks({ limit: 500 });
    assert.deepEqual(
      seen.map((c) => c.id),
      stored.map((c) => c.id),
    );
  });

  it('order_id lists only that order’s callbacks, pages and all', async () => {
    const [a, b] = [orders[0]!, orders[1]!];
    const ofA = await walk(`order_id=${a.id}&limit=2`);
    assert.deepEqual(
      ofA.seen.map((c) => c.outcome),
      ['stale', 'duplicate', 'applied'],
    );
    assert.ok(ofA.seen.every((c) => c.order_id === a.id));
    assert.equal(ofA.pages, 2);
    const ofB = await walk(`order_id=${b.id}&limit=2&outcome=duplicate`);
    assert.deepEqual(
      ofB.seen.map((c) => [c.order_id, c.outcome]),
      [[b.id, 'duplicate']],
    );
    assert.deepEqual((await log(`order_id=ord_nope&payment_method_id=${h.paymentMethodId}`)).body, {
      data: [],
      next_cursor: null,
    });
  });

  it('refuses a cursor it did not give out (400 cursor_invalid, the error shape) and changes nothing', async () => {
    const before = await walk('limit=2');
    const first = await log('limit=2');
    const good = first.body.next_cursor!;
    const [, id] = JSON.parse(Buffer.from(good, 'base64url').toString('utf8')) as [string, string];
    for (const cursor of [
      'garbage',
      good.slice(0, -3),
      `${good}x`,
      b64(['yesterday', id]),
      b64(['2026-01-01T00:00:00.000Z', id, 'extra']),
      b64({ at: '2026-01-01T00:00:00.000Z', id }),
      b64(['2026-01-01T00:00:00.000Z', '']),
    ]) {
      const r = await log(`limit=2&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(r.status, 400, cursor);
      assert.deepEqual(Object.keys(r.body).sort(), ['code', 'error', 'message', 'statusCode']);
      assert.equal(r.body.code, 'cursor_invalid', cursor);
      assert.equal(r.body.statusCode, 400);
    }
    assert.equal((await log('cursor=')).status, 400, 'an empty cursor is refused by the schema');
    assert.equal((await log('order_id=a&foo=1')).status, 400, 'unknown parameters are refused');
    assert.equal((await h.api('GET', '/v1/callbacks?limit=2')).status, 403, 'admin only');
    assert.deepEqual((await walk('limit=2')).seen, before.seen);
    assert.deepEqual((await log(`limit=2&cursor=${good}`)).body.data, before.seen.slice(2, 4));
  });

  it('breaks ties of received_at by id, so a burst in one millisecond pages without a gap', async () => {
    const at = new Date().toISOString();
    const burst: CallbackRecord[] = Array.from({ length: 103 }, (_, i) => ({
      id: `cb_burst_${String(i).padStart(3, '0')}`,
      paymentMethodId: h.paymentMethodId,
      // Most share one instant; a few are a second older.
      receivedAt: i % 10 === 0 ? new Date(Date.parse(at) - 1000).toISOString() : at,
      method: 'POST',
      headers: {},
      query: '',
      body: '{}',
      verified: true,
      outcome: 'duplicate',
      reason: null,
      providerRef: 'BURST-1',
      providerStatus: 'executed',
      attemptId: 'pay_burst',
      orderId: 'ord_burst',
    }));
    await h.store.storage.transaction(async (tx) => {
      for (const cb of burst) await tx.insertCallback(cb);
    });
    const { seen } = await walk('order_id=ord_burst&limit=7');
    const expected = burst
      .map((c) => ({ id: c.id, received_at: c.receivedAt }) as Logged)
      .sort(newestFirst)
      .map((c) => c.id);
    assert.deepEqual(
      seen.map((c) => c.id),
      expected,
    );
    assert.equal((await walk('limit=500')).seen.length, 5 + burst.length);
  });

  it('admin: the order filter, a next-page link by cursor, and the order page’s link to its callbacks', async () => {
    const a = orders[0]!;
    const one = await support.get(`/admin/callbacks?order_id=${a.id}`);
    assert.equal(one.status, 200);
    assert.match(one.html, new RegExp(`<input name="order_id" value="${a.id}"`));
    assert.equal(rowIds(one.html).length, 3);
    assert.doesNotMatch(one.html, /rel="next"/);
    assert.match(one.html, /End of the list/);

    // The burst is more than a page (100): the link carries the filters and the cursor.
    const p1 = await support.get('/admin/callbacks?order_id=ord_burst&outcome=duplicate');
    assert.equal(p1.status, 200);
    const ids1 = rowIds(p1.html);
    assert.equal(ids1.length, 100);
    const next = href(/<a href="([^"]+)" rel="next"/.exec(p1.html)?.[1] ?? '');
    const params = new URL(next, h.url).searchParams;
    assert.equal(params.get('order_id'), 'ord_burst');
    assert.equal(params.get('outcome'), 'duplicate');
    assert.ok(params.get('cursor'));
    const p2 = await support.get(next);
    assert.equal(p2.status, 200);
    const ids2 = rowIds(p2.html);
    assert.equal(ids2.length, 3);
    assert.equal(new Set([...ids1, ...ids2]).size, 103, 'no callback on both pages');
    assert.doesNotMatch(p2.html, /rel="next"/);
    const firstPage = href(/<a href="([^"]+)">First page</.exec(p2.html)?.[1] ?? '');
    assert.deepEqual(Object.fromEntries(new URL(firstPage, h.url).searchParams), {
      order_id: 'ord_burst',
      outcome: 'duplicate',
    });

    const bad = await support.get('/admin/callbacks?order_id=ord_burst&cursor=garbage');
    assert.equal(bad.status, 400);
    assert.match(bad.html, /The cursor is not one this API gave out/);
    assert.equal(rowIds(bad.html).length, 0);

    const orderPage = await support.get(`/admin/orders/${a.id}`);
    assert.equal(orderPage.status, 200);
    const link = /data-testid="order-callbacks-link"/.test(orderPage.html)
      ? href(/<a href="([^"]+)" data-testid="order-callbacks-link"/.exec(orderPage.html)?.[1] ?? '')
      : '';
    assert.equal(link, `/admin/callbacks?order_id=${a.id}`);
    assert.deepEqual(rowIds((await support.get(link)).html), rowIds(one.html));
  });
});
