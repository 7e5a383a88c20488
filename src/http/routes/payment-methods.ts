import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import {
  createPaymentMethod,
  listCheckoutMethods,
  listPaymentMethods,
  type MethodFilter,
  updatePaymentMethod,
  type CreatePaymentMethodInput,
  type UpdatePaymentMethodInput,
} from '../../app/payment-methods.js';
import { requireScope } from '../auth.js';
import { currency, listOf, minor, nullable, text } from '../../contract/fields.js';
import { paymentMethodSchema } from '../../contract/payment-method.js';
import { CSV_MAPPING_SCHEMA } from '../../domain/report.js';
import { sendFailure } from '../errors.js';
import { apiSchema, idParams } from '../route.js';

const createPaymentMethodBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'connector', 'settings'],
  properties: {
    name: text(100),
    connector: text(64),
    settings: { type: 'object', maxProperties: 50 },
    currencies: { type: 'array', maxItems: 200, items: currency },
    min_amount: minor,
    max_amount: minor,
    enabled: { type: 'boolean' },
    auto_approve: { type: 'boolean' },
    auto_refund_surplus: {
      type: 'boolean',
      description: 'Refund a double payment in full automatically where the connector can refund (default false)',
    },
    report_mapping: {
      ...CSV_MAPPING_SCHEMA,
      description: "How to read the provider's CSV report: which columns hold what",
    },
  },
} as const;

const updatePaymentMethodBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: text(100),
    settings: {
      type: 'object',
      maxProperties: 50,
      description:
        'Merged over the current settings; null removes a field; a secret left out, null or empty keeps its value',
    },
    currencies: nullable({ type: 'array', maxItems: 200, items: currency }),
    min_amount: nullable(minor),
    max_amount: nullable(minor),
    enabled: { type: 'boolean' },
    auto_approve: { type: 'boolean' },
    auto_refund_surplus: {
      type: 'boolean',
      description: 'Refund a double payment in full automatically where the connector can refund',
    },
  },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    currency: { ...currency, description: 'Only methods that take this currency' },
    amount: { ...minor, description: "Only methods whose limits allow this amount (the currency's minor units)" },
  },
} as const;

const errors = [400, 401, 403];

export async function paymentMethodRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.post<{ Body: CreatePaymentMethodInput }>(
    '/v1/payment-methods',
    {
      schema: apiSchema(
        {
          tags: ['payment methods'],
          summary: 'Configure a payment method (a connector with its settings)',
          description:
            'Settings are validated by the connector; secret fields are encrypted at rest and always masked in answers.',
          body: createPaymentMethodBody,
          response: { 201: paymentMethodSchema },
        },
        errors,
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await createPaymentMethod(req.deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send(r.value);
    },
  );

  app.get<{ Querystring: MethodFilter }>(
    '/v1/payment-methods',
    {
      schema: apiSchema(
        {
          tags: ['payment methods'],
          summary: 'List payment methods',
          description:
            'A store key: the enabled methods to offer at checkout (id, name, connector, currencies, limits), ' +
            'with `currency` and `amount` those that can take such an order. ' +
            'An admin key: every method with its settings (secrets masked) and abilities.',
          querystring: listQuery,
          response: { 200: listOf(paymentMethodSchema) },
        },
        errors,
      ),
      preHandler: requireScope(deps, 'store'),
    },
    async (req) =>
      req.apiKey?.scopes.includes('admin')
        ? { data: await listPaymentMethods(req.deps, req.query) }
        : { data: await listCheckoutMethods(req.deps, req.query) },
  );

  app.patch<{ Params: { id: string }; Body: UpdatePaymentMethodInput }>(
    '/v1/payment-methods/:id',
    {
      schema: apiSchema(
        {
          tags: ['payment methods'],
          summary: 'Change a payment method',
          description:
            'Settings are merged over the current ones and validated by the connector as on creation; a secret field left out or empty keeps its value.',
          params: idParams('id'),
          body: updatePaymentMethodBody,
          response: { 200: paymentMethodSchema },
        },
        [...errors, 404, 422],
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await updatePaymentMethod(req.deps, req.params.id, req.body);
      return r.ok ? r.value : sendFailure(reply, r.error);
    },
  );
}
