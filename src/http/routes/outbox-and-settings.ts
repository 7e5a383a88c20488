import type { FastifyInstance } from 'fastify';
import { resendOutboxMessage, retryOutboxMessage } from '../../app/deliver-outbox.js';
import type { AppDeps } from '../../app/deps.js';
import { notificationSettings, putNotificationSettings, putReviewRules, reviewRules } from '../../app/settings.js';
import { outboxView, webhookEndpointView } from '../../app/views.js';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  updateWebhookEndpoint,
  type EndpointInput,
  type EndpointPatch,
} from '../../app/webhook-endpoints.js';
import type { NotificationSettings } from '../../domain/notifications.js';
import type { OutboxMessage, OutboxStatus } from '../../domain/outbox.js';
import type { ReviewRules } from '../../domain/review.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointBody,
  idParams,
  listOutboxQuery,
  notificationSettingsSchema,
  outboxSchema,
  reviewRulesSchema,
  updateWebhookEndpointBody,
  webhookEndpointSchema,
} from '../schemas.js';

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

/** Webhook endpoints, the outbox, and the settings for notifications and review: admin only. */
export async function outboxAndSettingsRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.post<{ Body: EndpointInput }>(
    '/v1/webhook-endpoints',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Register a receiver of signed webhooks (Standard Webhooks)',
        description:
          "The secret is returned only in this answer. status_map_preset (opencart, xcart, joomla) and status_map turn order statuses into the store's own codes, sent as data.order.store_status.",
        security,
        body: createWebhookEndpointBody,
        response: { 201: createdWebhookEndpointSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await createWebhookEndpoint(deps, req.body);
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(201).send({ ...webhookEndpointView(r.value.endpoint), secret: r.value.secret });
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'The webhook endpoints (without secrets)',
        security,
        response: {
          200: { type: 'object', properties: { data: { type: 'array', items: webhookEndpointSchema } } },
          ...errors,
        },
      },
      preHandler: admin,
    },
    async () => ({ data: (await deps.storage.read.listWebhookEndpoints()).map(webhookEndpointView) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Stop sending to an endpoint (it is kept, disabled)',
        security,
        params: idParams('id'),
        response: { 200: webhookEndpointSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await disableWebhookEndpoint(deps, req.params.id);
      return r.ok ? webhookEndpointView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.patch<{ Params: { id: string }; Body: EndpointPatch }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change the events, the status map (preset and overrides) or turn an endpoint on or off',
        security,
        params: idParams('id'),
        body: updateWebhookEndpointBody,
        response: { 200: webhookEndpointSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await updateWebhookEndpoint(deps, req.params.id, req.body);
      return r.ok ? webhookEndpointView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.get<{ Querystring: { status?: OutboxStatus; topic?: OutboxMessage['topic']; order_id?: string; limit: number } }>(
    '/v1/outbox',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Outbox messages, newest first: what is pending or given up, and why',
        security,
        querystring: listOutboxQuery,
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: outboxSchema } } }, ...errors },
      },
      preHandler: admin,
    },
    async (req) => ({
      data: (
        await deps.storage.read.listOutbox({
          status: req.query.status,
          topic: req.query.topic,
          orderId: req.query.order_id,
          limit: req.query.limit,
        })
      ).map(outboxView),
    }),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/outbox/:id/retry',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Put a given-up message back in the queue',
        security,
        params: idParams('id'),
        response: { 200: outboxSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await retryOutboxMessage(deps, req.params.id);
      return r.ok ? outboxView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/outbox/:id/resend',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Send a delivered or given-up message again, with the same id (receivers deduplicate by it)',
        security,
        params: idParams('id'),
        response: { 200: outboxSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await resendOutboxMessage(deps, req.params.id, actorOf(req));
      return r.ok ? outboxView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.get(
    '/v1/settings/notifications',
    {
      schema: {
        tags: ['settings'],
        summary: 'E-mail notification settings',
        security,
        response: { 200: notificationSettingsSchema, ...errors },
      },
      preHandler: admin,
    },
    async () => notificationSettings(deps.storage.read),
  );
  app.put<{ Body: NotificationSettings }>(
    '/v1/settings/notifications',
    {
      schema: {
        tags: ['settings'],
        summary: 'Replace the e-mail notification settings',
        security,
        body: notificationSettingsSchema,
        response: { 200: notificationSettingsSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req) => putNotificationSettings(deps, req.body),
  );
  app.get(
    '/v1/settings/review',
    {
      schema: {
        tags: ['settings'],
        summary: 'Antifraud review rules',
        security,
        response: { 200: reviewRulesSchema, ...errors },
      },
      preHandler: admin,
    },
    async () => reviewRules(deps.storage.read),
  );
  app.put<{ Body: ReviewRules }>(
    '/v1/settings/review',
    {
      schema: {
        tags: ['settings'],
        summary: 'Replace the antifraud review rules',
        security,
        body: reviewRulesSchema,
        response: { 200: reviewRulesSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req) => putReviewRules(deps, req.body),
  );
}
