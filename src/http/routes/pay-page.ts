import { sendNextStep } from '../../web/next-step.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { findLinkPage, payByLink, type LinkPage } from '../../app/payment-links.js';
import { formatDecimal } from '../../domain/money.js';
import { html, page, type Html } from '../../web/html.js';
import { PUBLIC_BODY_LIMITS } from '../rate-limits.js';

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

/**
 * The customer's pay-by-link page. Showing it changes nothing (link previews in messengers fetch
 * it); only the button, a POST, starts a payment, and only while the link is active. A link
 * that is expired, revoked or paid shows why and takes no money.
 */
export async function payPageRoutes(app: FastifyInstance, deps: AppDeps) {
  // The button's form has no fields: accept its content type, read nothing from it.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: PUBLIC_BODY_LIMITS.pay },
    (_req, _body, done) => done(null, {}),
  );

  app.get<{ Params: { token: string } }>(
    '/pay/:token',
    {
      config: { publicLimit: 'pages' },
      schema: {
        tags: ['public'],
        summary: "The customer's pay-by-link page (shows; changes nothing)",
        params: tokenParams,
      },
    },
    async (req, reply) => {
      const p = await findLinkPage(deps, req.params.token);
      if (!p)
        return send(
          reply,
          404,
          'Payment link not found',
          html`<h1>Payment link not found</h1>
            <p>This payment link does not exist. Check that you copied all of it, or ask the shop for a new one.</p>`,
        );
      const closed = closedBody(p);
      if (closed) return send(reply, closed.code, `Order ${p.order.reference}`, closed.body);
      const amount = money(p.link.amount, p.link.currency);
      return send(
        reply,
        200,
        `Pay ${amount}`,
        html`<h1>Order ${p.order.reference}</h1>
          <p data-testid="link-amount">Amount to pay: <strong>${amount}</strong></p>
          <p><small>This link is valid until ${p.link.expiresAt.replace('T', ' ').slice(0, 16)} UTC.</small></p>
          <form method="post" action="/pay/${req.params.token}">
            <button type="submit" data-testid="pay">Pay ${amount}</button>
          </form>`,
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/pay/:token',
    {
      config: { publicLimit: 'pay' },
      schema: {
        tags: ['public'],
        summary: 'Start (or resume) the payment of a pay-by-link; redirects to the payment page',
        params: tokenParams,
      },
    },
    async (req, reply) => {
      const r = await payByLink(deps, req.params.token);
      if (r.ok && r.value.nextStep) return sendNextStep(reply, r.value.nextStep);
      const p = await findLinkPage(deps, req.params.token);
      if (!p) return send(reply, 404, 'Payment link not found', html`<h1>Payment link not found</h1>`);
      const closed = closedBody(p);
      if (closed) return send(reply, closed.code, `Order ${p.order.reference}`, closed.body);
      // A provider's failure text is for support (it is on the timeline), not for the customer.
      const why =
        r.ok || r.error.code.startsWith('provider') ? 'The payment page could not be opened.' : r.error.message;
      return send(
        reply,
        r.ok || r.error.code.startsWith('provider') ? 503 : 409,
        `Order ${p.order.reference}`,
        html`<h1>Order ${p.order.reference}</h1>
          <p>${why} No money was taken. Please try again in a few minutes.</p>`,
      );
    },
  );
}

function closedBody(p: LinkPage): { code: number; body: Html } | undefined {
  const head = html`<h1>Order ${p.order.reference}</h1>`;
  if (p.state === 'paid')
    return {
      code: 200,
      body: html`${head}
        <p class="status paid" data-testid="link-state">Paid</p>
        <p>This link has been paid. Thank you.</p>`,
    };
  if (p.state === 'expired') {
    return {
      code: 410,
      body: html`${head}
        <p class="status failed" data-testid="link-state">Link expired</p>
        <p>
          This payment link expired on ${p.link.expiresAt.replace('T', ' ').slice(0, 16)} UTC. It takes no payment and
          no money was taken through it. Ask the shop for a new link.
        </p>`,
    };
  }
  if (p.state === 'revoked') {
    return {
      code: 410,
      body: html`${head}
        <p class="status failed" data-testid="link-state">Link no longer valid</p>
        <p>
          The shop has replaced or withdrawn this payment link. It takes no payment. Use the newest link the shop sent
          you, or ask for one.
        </p>`,
    };
  }
  if (p.order.status === 'canceled' || p.outstanding < p.link.amount) {
    return {
      code: 410,
      body: html`${head}
        <p class="status" data-testid="link-state">Nothing to pay</p>
        <p>This order owes nothing through this link.</p>`,
    };
  }
  return undefined;
}

function send(reply: FastifyReply, code: number, title: string, body: Html) {
  return reply
    .code(code)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(page(title, body));
}

const money = (amount: number, currency: string) => `${formatDecimal(amount, currency)} ${currency}`;
