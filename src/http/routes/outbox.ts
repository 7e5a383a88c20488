import type { FastifyInstance } from 'fastify';
import { resendOutboxMessage, retryOutboxMessage } from '../../app/deliver-outbox.js';
import type { AppDeps } from '../../app/deps.js';
import { listOutboxMessages } from '../../app/queries/api-outbox.js';
import { listOf, text } from '../../contract/fields.js';
import { OUTBOX_TOPICS, outboxSchema, outboxView } from '../../contract/outbox-message.js';
import { OUTBOX_STATUSES, type OutboxMessage, type OutboxStatus } from '../../domain/outbox.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { apiSchema, idParams } from '../route.js';

const listOutboxQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...OUTBOX_STATUSES] },
    topic: { type: 'string', enum: [...OUTBOX_TOPICS] },
    order_id: text(64),
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

/** The outbox: what is pending or given up, retried or sent again. Admin only. */
export async function outboxRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get<{ Querystring: { status?: OutboxStatus; topic?: OutboxMessage['topic']; order_id?: string; limit: number } }>(
    '/v1/outbox',
    {
      schema: apiSchema({
        tags: ['outbox'],
        summary: 'Outbox messages, newest first: what is pending or given up, and why',
        querystring: listOutboxQuery,
        response: { 200: listOf(outboxSchema) },
      }),
      preHandler: admin,
    },
    async (req) => ({
      data: (
        await listOutboxMessages(req.deps, {
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
      schema: apiSchema({
        tags: ['outbox'],
        summary: 'Put a given-up message back in the queue',
        params: idParams('id'),
        response: { 200: outboxSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await retryOutboxMessage(req.deps, req.params.id);
      return r.ok ? outboxView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/outbox/:id/resend',
    {
      schema: apiSchema({
        tags: ['outbox'],
        summary: 'Send a delivered or given-up message again, with the same id (receivers deduplicate by it)',
        params: idParams('id'),
        response: { 200: outboxSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await resendOutboxMessage(req.deps, req.params.id, actorOf(req));
      return r.ok ? outboxView(r.value) : sendFailure(reply, r.error);
    },
  );
}
