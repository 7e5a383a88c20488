import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { findAttemptForReturnRequest, returnPage } from '../../app/queries/index.js';
import { isAttemptOpen } from '../../domain/attempt-status.js';
import { rawRequestOf } from '../raw-request.js';
import { html, page } from '../../web/html.js';
import { sendNextStep } from '../../web/next-step.js';
import { PUBLIC_BODY_LIMITS } from '../rate-limits.js';
import { idParams } from '../route.js';

const notFound = (reply: FastifyReply) =>
  reply
    .code(404)
    .type('text/html; charset=utf-8')
    .send(page('Payment not found', html`<h1>Payment not found</h1>`));

/**
 * Where a customer is sent on: `/next/{payment}` (a store may send its customer here rather than
 * render the next step itself: a redirect, or Idram's self-posting form), and the return address
 * of a provider that fixes it in its own cabinet and names the bill in the request (Idram's
 * SUCCESS_URL and FAIL_URL). Neither applies anything; the return page shows what Settle knows.
 */
export async function providerReturnRoutes(app: FastifyInstance, deps: AppDeps) {
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
      const r = await returnPage(deps, req.params.paymentId);
      if (!r.ok) return notFound(reply);
      const { order, attempt } = r.value;
      if (attempt.nextStep && isAttemptOpen(attempt.status) && order.paymentStatus !== 'paid')
        return sendNextStep(reply, attempt.nextStep);
      return reply.redirect(`/return/${encodeURIComponent(attempt.id)}`, 303);
    },
  );

  const back = async (req: FastifyRequest<{ Params: { paymentMethodId: string } }>, reply: FastifyReply) => {
    const raw = rawRequestOf(req);
    const attempt = await findAttemptForReturnRequest(deps, req.params.paymentMethodId, raw);
    if (!attempt) return notFound(reply);
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
