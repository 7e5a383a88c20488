import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createPaymentLink, revokePaymentLink } from '../../app/payment-links.js';
import { isoTime, MAX_MINOR, text } from '../../contract/fields.js';
import { issuedLinkSchema, issuedLinkView, paymentLinkSchema, paymentLinkView } from '../../contract/payment-link.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { apiSchema, idempotent, idParams, reasonBody } from '../route.js';

const createPaymentLinkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['expires_at'],
  properties: {
    amount: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_MINOR,
      description: 'Minor units; default all the order still owes, never more',
    },
    expires_at: { ...isoTime, description: 'At most 90 days ahead' },
    payment_method_id: {
      ...text(64),
      description: "Default: the method of the order's last payment, or the only one enabled",
    },
    reason: text(500),
  },
} as const;

/** Pay-by-link: store and support make and revoke links; the customer's page is in pay-page.ts. */
export async function paymentLinkRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks();
  const now = () => deps.clock.now().toISOString();

  app.post<{
    Params: { id: string };
    Body: { amount?: number; expires_at: string; payment_method_id?: string; reason?: string };
  }>(
    '/v1/orders/:id/payment-links',
    {
      schema: apiSchema({
        tags: ['payments'],
        summary: 'Make a pay-by-link for what the order still owes; the active link, if any, is revoked',
        description:
          "The answer is the only one that carries the link's URL (its token is stored hashed). One order has at most one active link: the database refuses a second. Refused while a refund is in flight or when nothing is owed. Send an Idempotency-Key.",
        params: idParams('id'),
        body: createPaymentLinkBody,
        response: { 201: issuedLinkSchema },
      }),
      ...idempotent(store, idem),
    },
    async (req, reply) => {
      const b = req.body;
      const r = await createPaymentLink(
        req.deps,
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
      schema: apiSchema({
        tags: ['payments'],
        summary: 'Withdraw a payment link; its page then takes no money',
        description:
          'A payment already started through it and paid later opens a paid_via_inactive_link task. Revoking a link that is not active changes nothing.',
        params: idParams('id'),
        body: reasonBody('reason'),
        response: { 200: paymentLinkSchema },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await revokePaymentLink(req.deps, { linkId: req.params.id, reason: req.body.reason }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return paymentLinkView(r.value, now());
    },
  );
}
