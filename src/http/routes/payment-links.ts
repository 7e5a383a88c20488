import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createPaymentLink, revokePaymentLink, type IssuedLink } from '../../app/payment-links.js';
import { paymentLinkView } from '../../app/views.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { createPaymentLinkBody, idParams, issuedLinkSchema, paymentLinkSchema, reasonBody } from '../schemas.js';

const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  503: errorSchema,
};
const security = [{ bearer: [] }];

export function issuedLinkView(l: IssuedLink, now: string) {
  return { ...paymentLinkView(l.link, now), url: l.url };
}

/** Pay-by-link: store and support make and revoke links; the customer's page is in pay-page.ts. */
export async function paymentLinkRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks(deps);
  const now = () => deps.clock.now().toISOString();

  app.post<{
    Params: { id: string };
    Body: { amount?: number; expires_at: string; payment_method_id?: string; reason?: string };
  }>(
    '/v1/orders/:id/payment-links',
    {
      schema: {
        tags: ['payments'],
        summary: 'Make a pay-by-link for what the order still owes; the active link, if any, is revoked',
        description:
          "The answer is the only one that carries the link's URL (its token is stored hashed). One order has at most one active link: the database refuses a second. Refused while a refund is in flight or when nothing is owed. Send an Idempotency-Key.",
        security,
        params: idParams('id'),
        body: createPaymentLinkBody,
        response: { 201: issuedLinkSchema, ...errors },
      },
      preHandler: [store, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const b = req.body;
      const r = await createPaymentLink(
        deps,
        {
          orderId: req.params.id,
          amount: b.amount,
          expiresAt: b.expires_at,
          paymentMethodId: b.payment_method_id,
          reason: b.reason,
        },
        actorOf(req),
      );
      if (!r.ok) {
        // The method is named in the body, not the path: an unknown one is a refusal, not a 404.
        if (r.error.code === 'payment_method_unknown')
          return sendFailure(reply, { ...r.error, code: 'payment_method_refused' });
        return sendFailure(reply, r.error);
      }
      return reply.code(201).send(issuedLinkView(r.value, now()));
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/payment-links/:id/revoke',
    {
      schema: {
        tags: ['payments'],
        summary: 'Withdraw a payment link; its page then takes no money',
        description:
          'A payment already started through it and paid later opens a paid_via_inactive_link task. Revoking a link that is not active changes nothing.',
        security,
        params: idParams('id'),
        body: reasonBody('reason'),
        response: { 200: paymentLinkSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await revokePaymentLink(deps, { linkId: req.params.id, reason: req.body.reason }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return paymentLinkView(r.value, now());
    },
  );
}
