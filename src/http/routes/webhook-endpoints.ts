import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { listWebhookEndpoints } from '../../app/queries/api-webhook-endpoints.js';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  updateWebhookEndpoint,
  type EndpointInput,
  type EndpointPatch,
} from '../../app/webhook-endpoints.js';
import { httpUrl, listOf, nullable, text } from '../../contract/fields.js';
import {
  createdWebhookEndpointSchema,
  createdWebhookEndpointView,
  webhookEndpointSchema,
  webhookEndpointView,
} from '../../contract/webhook-endpoint.js';
import { WEBHOOK_EVENT_TYPES } from '../../domain/effects.js';
import { STORE_STATUS_KEYS, STORE_STATUS_PRESET_NAMES } from '../../domain/store-status.js';
import { requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { apiSchema, idParams } from '../route.js';

const statusMap = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(STORE_STATUS_KEYS.map((k) => [k, text(64)])),
} as const;
const events = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: { type: 'string', enum: ['*', ...WEBHOOK_EVENT_TYPES] },
} as const;
const statusMapPreset = nullable({ type: 'string', enum: [...STORE_STATUS_PRESET_NAMES] });

const createWebhookEndpointBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'events'],
  properties: {
    url: httpUrl,
    events,
    secret: {
      type: 'string',
      minLength: 38,
      maxLength: 100,
      description: 'whsec_ + base64 of 24 to 64 bytes; made for you when left out',
    },
    status_map_preset: statusMapPreset,
    status_map: statusMap,
  },
} as const;

const updateWebhookEndpointBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    events,
    status_map_preset: statusMapPreset,
    status_map: {
      ...statusMap,
      description: 'The overrides on top of the preset (replacing the current ones); left out, they are kept',
    },
    enabled: { type: 'boolean' },
  },
} as const;

/** Receivers of signed webhooks: admin only. */
export async function webhookEndpointRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.post<{ Body: EndpointInput }>(
    '/v1/webhook-endpoints',
    {
      schema: apiSchema({
        tags: ['webhooks'],
        summary: 'Register a receiver of signed webhooks (Standard Webhooks)',
        description:
          "The secret is returned only in this answer. status_map_preset (opencart, xcart, joomla) and status_map turn order statuses into the store's own codes, sent as data.order.store_status.",
        body: createWebhookEndpointBody,
        response: { 201: createdWebhookEndpointSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await createWebhookEndpoint(req.deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send(createdWebhookEndpointView(r.value.endpoint, r.value.secret));
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      schema: apiSchema({
        tags: ['webhooks'],
        summary: 'The webhook endpoints (without secrets)',
        response: { 200: listOf(webhookEndpointSchema) },
      }),
      preHandler: admin,
    },
    async () => ({ data: (await listWebhookEndpoints(deps)).map(webhookEndpointView) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: apiSchema({
        tags: ['webhooks'],
        summary: 'Stop sending to an endpoint (it is kept, disabled)',
        params: idParams('id'),
        response: { 200: webhookEndpointSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await disableWebhookEndpoint(req.deps, req.params.id);
      return r.ok ? webhookEndpointView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.patch<{ Params: { id: string }; Body: EndpointPatch }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: apiSchema({
        tags: ['webhooks'],
        summary: 'Change the events, the status map (preset and overrides) or turn an endpoint on or off',
        params: idParams('id'),
        body: updateWebhookEndpointBody,
        response: { 200: webhookEndpointSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await updateWebhookEndpoint(req.deps, req.params.id, req.body);
      return r.ok ? webhookEndpointView(r.value) : sendFailure(reply, r.error);
    },
  );
}
