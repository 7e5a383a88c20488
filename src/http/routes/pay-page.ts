import { sendNextStep } from '../../web/next-step.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findLinkPage, payByLink, type LinkPage } from '../../app/payment-links.js';
import { html, page, type Html } from '../../web/html.js';
import { formatMoney, formatTime } from '../../web/i18n/format.js';
import { pickLocale, type Locale } from '../../web/i18n/locale.js';
import { messagesFor } from '../../web/i18n/catalog.js';
import type { Messages } from '../../web/i18n/messages.js';
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
export async function payPageRoutes(app: FastifyInstance) {
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
      const p = await findLinkPage(req.deps, req.params.token);
      const locale = pickLocale(p?.order.locale, req.headers['accept-language']);
      const t = messagesFor(locale);
      if (!p) return send(reply, 404, locale, t.link.notFound.title, notFoundBody(t));
      const closed = closedBody(p, locale);
      if (closed) return send(reply, closed.code, locale, t.order(p.order.reference), closed.body);
      const amount = formatMoney(p.link.amount, p.link.currency, locale);
      return send(
        reply,
        200,
        locale,
        t.link.pay(amount),
        html`<h1>${t.order(p.order.reference)}</h1>
          <p data-testid="link-amount">${t.link.amountToPay}: <strong>${amount}</strong></p>
          <p><small>${t.link.validUntil(formatTime(p.link.expiresAt, locale))}</small></p>
          <form method="post" action="/pay/${req.params.token}">
            <button type="submit" data-testid="pay">${t.link.pay(amount)}</button>
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
      const r = await payByLink(req.deps, req.params.token);
      if (r.ok && r.value.nextStep) return sendNextStep(reply, r.value.nextStep);
      const p = await findLinkPage(req.deps, req.params.token);
      const locale = pickLocale(p?.order.locale, req.headers['accept-language']);
      const t = messagesFor(locale);
      if (!p) return send(reply, 404, locale, t.link.notFound.title, notFoundBody(t));
      const closed = closedBody(p, locale);
      if (closed) return send(reply, closed.code, locale, t.order(p.order.reference), closed.body);
      // A provider's failure text is for support (it is on the timeline), not for the customer.
      const unreachable = r.ok || r.error.code.startsWith('provider');
      return send(
        reply,
        unreachable ? 503 : 409,
        locale,
        t.order(p.order.reference),
        html`<h1>${t.order(p.order.reference)}</h1>
          <p>${unreachable ? t.couldNotOpen : t.notPayableNow}</p>`,
      );
    },
  );
}

const notFoundBody = (t: Messages) =>
  html`<h1>${t.link.notFound.title}</h1>
    <p>${t.link.notFound.text}</p>`;

function closedBody(p: LinkPage, locale: Locale): { code: number; body: Html } | undefined {
  const t = messagesFor(locale);
  const head = html`<h1>${t.order(p.order.reference)}</h1>`;
  const state = (code: number, cls: string, words: { status: string }, text: string) => ({
    code,
    body: html`${head}
      <p class="status ${cls}" data-testid="link-state">${words.status}</p>
      <p>${text}</p>`,
  });
  if (p.state === 'paid') return state(200, 'paid', t.link.paid, t.link.paid.text);
  if (p.state === 'expired')
    return state(410, 'failed', t.link.expired, t.link.expired.text(formatTime(p.link.expiresAt, locale)));
  if (p.state === 'revoked') return state(410, 'failed', t.link.revoked, t.link.revoked.text);
  if (p.order.status === 'canceled' || p.outstanding < p.link.amount)
    return state(410, '', t.link.nothingToPay, t.link.nothingToPay.text);
  return undefined;
}

function send(reply: FastifyReply, code: number, locale: Locale, title: string, body: Html) {
  return reply
    .code(code)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .header('content-language', locale)
    .header('vary', 'accept-language')
    .type('text/html; charset=utf-8')
    .send(page(title, body, { lang: locale }));
}
