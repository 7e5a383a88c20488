import type { FastifyInstance } from 'fastify';
import { checkPayment } from '../../app/check-payment.js';
import { findAttemptForReturn, findOrderByKey, returnPage } from '../../app/queries/index.js';
import { publicOrderSchema, publicOrderView } from '../../contract/public-order.js';
import { isAttemptOpen } from '../../domain/attempt-status.js';
import { sendFailure } from '../errors.js';
import { page } from '../../web/html.js';
import { pickLocale } from '../../web/i18n/locale.js';
import { messagesFor } from '../../web/i18n/catalog.js';
import { mayTryAgain, paymentNotFound, returnBody, returnState } from '../../web/return-page.js';
import { errorResponses, idParams, idsParams } from '../route.js';

const RETURN_CHECK_WAIT_MS = 3000;
const RETURN_CHECK_EVERY_MS = 5000;

/** At most one status check per attempt every few seconds, however often the page reloads. */
function checkThrottle() {
  const last = new Map<string, number>();
  return {
    due(attemptId: string): boolean {
      const now = Date.now();
      if ((last.get(attemptId) ?? 0) > now - RETURN_CHECK_EVERY_MS) return false;
      if (last.size > 10_000) last.clear();
      last.set(attemptId, now);
      return true;
    },
  };
}

/**
 * Routes a customer reaches without an API key. They show; the only thing they may start is a
 * status check at the acquirer, whose verified answer is applied like a callback.
 */
export async function publicRoutes(app: FastifyInstance) {
  const checks = checkThrottle();
  app.get<{ Params: { orderKey: string } }>(
    '/v1/public/orders/:orderKey',
    {
      config: { publicLimit: 'pages' },
      schema: {
        tags: ['public'],
        summary: 'What a customer may see of one order, by its order key',
        params: idParams('orderKey'),
        response: { 200: publicOrderSchema, ...errorResponses([404, 429]) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await findOrderByKey(req.deps, req.params.orderKey);
      if (!r.ok) return sendFailure(reply, r.error);
      return publicOrderView(r.value.order, r.value.attempts);
    },
  );

  // The customer lands here from the payment page. It shows the order's status as Settle knows
  // it from verified callbacks; nothing in this request (query, referrer) is trusted or applied.
  app.get<{ Params: { paymentId: string } }>(
    '/return/:paymentId',
    {
      config: { publicLimit: 'pages' },
      schema: {
        tags: ['public'],
        summary: 'Return page after the payment page (shows status, changes nothing)',
        params: idParams('paymentId'),
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      let r = await returnPage(req.deps, req.params.paymentId);
      if (
        r.ok &&
        r.value.order.paymentStatus !== 'paid' &&
        isAttemptOpen(r.value.attempt.status) &&
        checks.due(r.value.attempt.id)
      ) {
        // The callback may be late: ask the acquirer (a verified status check), so the customer
        // sees the truth, never a guess. Waits a little; a slow acquirer finishes in the background.
        const check = checkPayment(req.deps, { paymentId: r.value.attempt.id }, 'system').catch((err: unknown) => {
          req.log.warn({ err }, 'return page status check failed');
        });
        await Promise.race([check, new Promise((done) => setTimeout(done, RETURN_CHECK_WAIT_MS).unref())]);
        r = await returnPage(req.deps, req.params.paymentId);
      }
      if (!r.ok) return paymentNotFound(reply, pickLocale(null, req.headers['accept-language']));
      const { order, attempt, attempts } = r.value;
      const locale = pickLocale(order.locale, req.headers['accept-language']);
      const body = returnBody(order, attempt, mayTryAgain(order, attempts), locale);
      const pending = returnState(order, attempt) === 'waiting';
      return reply
        .type('text/html; charset=utf-8')
        .header('content-language', locale)
        .header('vary', 'accept-language')
        .send(
          page(messagesFor(locale).order(order.reference), body, {
            lang: locale,
            ...(pending && { refreshSeconds: 3 }),
          }),
        );
    },
  );

  // An acquirer's merchant-cabinet return address can only name its own order id: find the
  // attempt and send the customer to the page above.
  app.get<{ Params: { paymentMethodId: string; providerRef: string } }>(
    '/return/m/:paymentMethodId/:providerRef',
    {
      config: { publicLimit: 'pages' },
      schema: {
        tags: ['public'],
        summary: "Return address in the provider's terms (payment method and the provider's order id)",
        params: idsParams('paymentMethodId', 'providerRef'),
      },
    },
    async (req, reply) => {
      const attempt = await findAttemptForReturn(req.deps, req.params.paymentMethodId, req.params.providerRef);
      if (!attempt) return paymentNotFound(reply, pickLocale(null, req.headers['accept-language']));
      return reply.redirect(`/return/${encodeURIComponent(attempt.id)}`, 303);
    },
  );
}
