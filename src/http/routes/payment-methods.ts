import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createPaymentMethod, listPaymentMethods, type CreatePaymentMethodInput } from '../../app/payment-methods.js';
import { requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { createPaymentMethodBody, paymentMethodSchema } from '../schemas.js';

export async function paymentMethodRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const security = [{ bearer: [] }];
  const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

  app.post<{ Body: CreatePaymentMethodInput }>(
    '/v1/payment-methods',
    {
      schema: {
        tags: ['payment methods'],
        summary: 'Configure a payment method (a connector with its settings)',
        description: 'Settings are validated by the connector; secret fields are encrypted at rest and always masked in answers.',
        security,
        body: createPaymentMethodBody,
        response: { 201: paymentMethodSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await createPaymentMethod(deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send(r.value);
    },
  );

  app.get(
    '/v1/payment-methods',
    {
      schema: {
        tags: ['payment methods'],
        summary: 'List payment methods',
        security,
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: paymentMethodSchema } } }, ...errors },
      },
      preHandler: admin,
    },
    async () => ({ data: await listPaymentMethods(deps) }),
  );
}
