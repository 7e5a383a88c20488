import type { FastifyInstance } from 'fastify';
import { capturePayment } from '../../app/capture-payment.js';
import { checkPayment } from '../../app/check-payment.js';
import type { AppDeps } from '../../app/deps.js';
import { startPayment } from '../../app/start-payment.js';
import { text } from '../../contract/fields.js';
import { attemptView, paymentSchema } from '../../contract/payment.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { API_ERRORS, apiSchema, idempotent, idParams, idsParams } from '../route.js';

const createPaymentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['payment_method_id'],
  properties: { payment_method_id: text(64) },
} as const;

/** Payment attempts: started for the order's current amount, checked at the acquirer. */
export async function paymentRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks();

  app.post<{ Params: { id: string }; Body: { payment_method_id: string } }>(
    '/v1/orders/:id/payments',
    {
      schema: apiSchema({
        tags: ['payments'],
        summary: "Start a payment attempt for the order's current amount",
        description:
          'Returns the attempt with next_step (where to send the customer). A retry is a new attempt; a paid or canceled order refuses (409).',
        params: idParams('id'),
        body: createPaymentBody,
        response: { 201: paymentSchema },
      }),
      ...idempotent(store, idem),
    },
    async (req, reply) => {
      const r = await startPayment(
        req.deps,
        { orderId: req.params.id, paymentMethodId: req.body.payment_method_id },
        actorOf(req),
      );
      if (!r.ok) {
        // The method is named in the body, not the path: an unknown one is a refusal, not a 404.
        if (r.error.code === 'payment_method_unknown')
          return sendFailure(reply, { ...r.error, code: 'payment_method_refused' });
        return sendFailure(reply, r.error);
      }
      return reply.code(201).send(attemptView(r.value));
    },
  );

  app.post<{ Params: { id: string; paymentId: string } }>(
    '/v1/orders/:id/payments/:paymentId/check',
    {
      schema: apiSchema(
        {
          tags: ['payments'],
          summary: "Ask the acquirer for the payment's status and apply the answer",
          description:
            'Applied through the same path as a callback, verified_by "status_check". An acquirer that cannot be reached is a 503 and changes nothing.',
          params: idsParams('id', 'paymentId'),
          response: { 200: paymentSchema },
        },
        [...API_ERRORS, 502],
      ),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await checkPayment(req.deps, { orderId: req.params.id, paymentId: req.params.paymentId }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return attemptView(r.value.attempt);
    },
  );

  app.post<{ Params: { id: string; paymentId: string } }>(
    '/v1/orders/:id/payments/:paymentId/capture',
    {
      schema: apiSchema(
        {
          tags: ['payments'],
          summary: 'Take a held (authorized) payment in full',
          description:
            "Only where the provider has a capture call (the payment method's abilities list `capture`) and the payment is authorized. The status the provider answers is applied as a status check: the order is paid when the provider says the money was taken. 422 capture_not_supported, 409 payment_not_held; a provider that cannot be reached is a 503 and changes nothing.",
          params: idsParams('id', 'paymentId'),
          response: { 200: paymentSchema },
        },
        [...API_ERRORS, 502],
      ),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await capturePayment(
        req.deps,
        { orderId: req.params.id, paymentId: req.params.paymentId },
        actorOf(req),
      );
      if (!r.ok) return sendFailure(reply, r.error);
      return attemptView(r.value);
    },
  );
}
