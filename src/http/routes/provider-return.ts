import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAttemptForReturnRequest, returnPage } from '../../app/queries/index.js';
import { retryPayment } from '../../app/retry-payment.js';
import { isAttemptOpen } from '../../domain/attempt-status.js';
import { rawRequestOf } from '../raw-request.js';
import { html, page } from '../../web/html.js';
import { pickLocale } from '../../web/i18n/locale.js';
import { messagesFor } from '../../web/i18n/catalog.js';
import { paymentNotFound } from '../../web/return-page.js';
import { sendNextStep } from '../../web/next-step.js';
import { PUBLIC_BODY_LIMITS } from '../rate-limits.js';
import { idParams } from '../route.js';

const notFound = (req: FastifyRequest, reply: FastifyReply) =>
  paymentNotFound(reply, pickLocale(null, req.headers['accept-language']));

/**
 * Where a customer is sent on: `/next/{payment}` (a store may send its customer here rather than
 * render the next step itself: a redirect, or Idram's self-posting form), and the return address
 * of a provider that fixes it in its own cabinet and names the bill in the request (Idram's
 * SUCCESS_URL and FAIL_URL). Neither applies anything; the return page shows what Settle knows.
 * Also the return page's "try again", a form post like the provider's returns.
 */
export async function providerReturnRoutes(app: FastifyInstance) {
  // The body is read as bytes for the connector, as a callback's is; only a form or nothing comes here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PUBLIC_BODY_LIMITS.callbacks }, (_req, body, done) =>
    done(null, body),
  );

  app.get<{ Params: { paymentId: string } }>(
    '/next/:paymentId',
    {
      config: { publicLimit: 'pages' },
      schema: {
        tags: ['public'],
        summary: "Sends the customer on to an open payment's next step (redirect or self-posting form)",
        params: idParams('paymentId'),
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await returnPage(req.deps, req.params.paymentId);
      if (!r.ok) return notFound(req, reply);
      const { order, attempt } = r.value;
      if (attempt.nextStep && isAttemptOpen(attempt.status) && order.paymentStatus !== 'paid')
        return sendNextStep(reply, attempt.nextStep);
      return reply.redirect(`/return/${encodeURIComponent(attempt.id)}`, 303);
    },
  );

  // The return page's "try again": a new attempt with the same method, or on to the one already open.
  app.post<{ Params: { paymentId: string } }>(
    '/return/:paymentId/retry',
    {
      config: { publicLimit: 'pay' },
      schema: {
        tags: ['public'],
        summary: "Starts a new attempt after a failed one (the return page's button); redirects to its payment page",
        params: idParams('paymentId'),
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await retryPayment(req.deps, req.params.paymentId);
      if (!r.ok && r.error.code === 'payment_not_found')
        return paymentNotFound(reply, pickLocale(null, req.headers['accept-language']));
      if (r.ok && r.value.attempt.nextStep && isAttemptOpen(r.value.attempt.status))
        return sendNextStep(reply, r.value.attempt.nextStep);
      if (r.ok || r.error.code === 'order_not_payable')
        return reply.redirect(`/return/${encodeURIComponent(r.ok ? r.value.attempt.id : req.params.paymentId)}`, 303);
      // The provider could not be reached, or refused: say so in the customer's words, nothing was taken.
      const found = await returnPage(req.deps, req.params.paymentId);
      const locale = pickLocale(found.ok ? found.value.order.locale : null, req.headers['accept-language']);
      const t = messagesFor(locale);
      const title = found.ok ? t.order(found.value.order.reference) : t.paymentNotFound.title;
      return reply
        .code(r.error.code.startsWith('provider') ? 503 : 409)
        .type('text/html; charset=utf-8')
        .send(
          page(
            title,
            html`<h1>${title}</h1>
              <p data-testid="retry-failed">${t.couldNotOpen}</p>`,
            { lang: locale },
          ),
        );
    },
  );

  const back = async (req: FastifyRequest<{ Params: { paymentMethodId: string } }>, reply: FastifyReply) => {
    const raw = rawRequestOf(req);
    const attempt = await findAttemptForReturnRequest(req.deps, req.params.paymentMethodId, raw);
    if (!attempt) return notFound(req, reply);
    return reply.redirect(`/return/${encodeURIComponent(attempt.id)}`, 303);
  };
  const schema = {
    tags: ['public'],
    summary: 'Return address fixed at the provider: finds the payment the request names and shows its page',
    params: idParams('paymentMethodId'),
  };
  app.get('/return/m/:paymentMethodId', { config: { publicLimit: 'pages' }, schema }, back);
  app.post('/return/m/:paymentMethodId', { config: { publicLimit: 'pages' }, schema }, back);
}
