import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import type { IssuedLink } from '../../app/payment-links.js';
import { orderOf } from '../../app/queries/admin-orders.js';
import type { Order } from '../../domain/order.js';
import type { Failure, Result } from '../../domain/result.js';
import { html } from '../../web/html.js';
import { money, refusal, render, seeOther, when } from '../render.js';
import { plausibleId, type NoticeKey } from './order-input.js';

// What every action of the order page shares: the order it names, its refusal page, its redirect.

export type Req = FastifyRequest<{ Params: { id: string; sub?: string } }>;

export const pageOf = (orderId: string) => `/admin/orders/${encodeURIComponent(orderId)}`;

/** The 404 page for an order id that names no order. */
export function orderNotFound(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return render(deps, req, reply, {
    title: 'No such order',
    status: 404,
    body: html`<p data-testid="not-found">There is no order with this id.</p>
      <p><a href="/admin/orders">Back to the orders</a></p>`,
  });
}

/** The order actions' helpers, bound to the app's dependencies. */
export function orderActionKit() {
  // Loads the order named in the path (404 page when there is none), then runs the action.
  const withOrder =
    (run: (req: Req, reply: FastifyReply, order: Order) => Promise<FastifyReply>) =>
    async (req: Req, reply: FastifyReply) => {
      const order = plausibleId(req.params.id) ? await orderOf(req.deps, req.params.id) : undefined;
      if (!order) return orderNotFound(req.deps, req, reply);
      return run(req, reply, order);
    };
  const refuse = (
    req: FastifyRequest,
    reply: FastifyReply,
    order: Order,
    failure: Failure,
    opts: { recorded?: boolean } = {},
  ) =>
    refusal(req.deps, req, reply, failure, { href: pageOf(order.id), label: `Back to order ${order.reference}` }, opts);
  const done = (reply: FastifyReply, order: Order, notice: NoticeKey) =>
    seeOther(reply, `${pageOf(order.id)}?notice=${notice}`);

  // The link's URL holds its token, which is stored only hashed: this page, rendered straight
  // from the post (not redirected to), is the only place it is ever shown.
  const linkShown = (req: FastifyRequest, reply: FastifyReply, order: Order, issued: IssuedLink, lead: string) => {
    const l = issued.link;
    return render(req.deps, req, reply, {
      title: `Payment link for order ${order.reference}`,
      body: html`<p>${lead}</p>
        <p>Copy it now and send it to the customer: <strong>it is not shown again</strong>.</p>
        <p><code data-testid="link-url">${issued.url}</code></p>
        <dl>
          <dt>Amount</dt>
          <dd>${money(l.amount, l.currency)}</dd>
          <dt>Expires</dt>
          <dd>${when(l.expiresAt)}</dd>
        </dl>
        <p><a href="${pageOf(order.id)}">Back to order ${order.reference}</a></p>`,
    });
  };
  return { withOrder, refuse, done, linkShown };
}

/** Several parsed fields at once: the first failure, or all the values. */
export function all<T extends Record<string, Result<unknown>>>(
  fields: T,
): Result<{ [K in keyof T]: T[K] extends Result<infer V> ? V : never }> {
  const out: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(fields)) {
    if (!r.ok) return r;
    out[k] = r.value;
  }
  return { ok: true, value: out as { [K in keyof T]: T[K] extends Result<infer V> ? V : never } };
}
