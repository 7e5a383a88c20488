import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import {
  createPaymentMethod,
  listPaymentMethods,
  updatePaymentMethod,
  type CreatePaymentMethodInput,
  type UpdatePaymentMethodInput,
} from '../../app/payment-methods.js';
import { requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { createPaymentMethodBody, idParams, paymentMethodSchema, updatePaymentMethodBody } from '../schemas.js';

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
        description:
          'Settings are validated by the connector; secret fields are encrypted at rest and always masked in answers.',
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
        response: {
          200: { type: 'object', properties: { data: { type: 'array', items: paymentMethodSchema } } },
          ...errors,
        },
      },
      preHandler: admin,
    },
    async () => ({ data: await listPaymentMethods(deps) }),
  );

  app.patch<{ Params: { id: string }; Body: UpdatePaymentMethodInput }>(
    '/v1/payment-methods/:id',
    {
      schema: {
        tags: ['payment methods'],
        summary: 'Change a payment method',
        description:
          'Settings are merged over the current ones and validated by the connector as on creation; a secret field left out or empty keeps its value.',
        security,
        params: idParams('id'),
        body: updatePaymentMethodBody,
        response: { 200: paymentMethodSchema, ...errors, 404: errorSchema, 422: errorSchema },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await updatePaymentMethod(deps, req.params.id, req.body);
      return r.ok ? r.value : sendFailure(reply, r.error);
    },
  );
}
