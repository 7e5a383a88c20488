import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { listCallbackLog } from '../../app/queries/api-callbacks.js';
import { CALLBACK_OUTCOMES, callbackSchema, callbackView } from '../../contract/callback-record.js';
import { listOf, text } from '../../contract/fields.js';
import type { CallbackOutcome } from '../../domain/callback-record.js';
import { requireScope } from '../auth.js';
import { API_ERRORS, apiSchema } from '../route.js';

const listCallbacksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    payment_method_id: text(64),
    outcome: { type: 'string', enum: [...CALLBACK_OUTCOMES] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

/** The callback log, for support: what each provider sent and what Settle made of it. Admin only. */
export async function callbackLogRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get<{ Querystring: { payment_method_id?: string; outcome?: CallbackOutcome; limit: number } }>(
    '/v1/callbacks',
    {
      schema: apiSchema(
        {
          tags: ['callbacks'],
          summary: 'Inbound callbacks as received (secrets redacted), newest first',
          querystring: listCallbacksQuery,
          response: { 200: listOf(callbackSchema) },
        },
        // 502 as in the schema of the file this route came from: the OpenAPI document is unchanged.
        [...API_ERRORS, 502],
      ),
      preHandler: admin,
    },
    async (req) => ({
      data: (
        await listCallbackLog(deps, {
          paymentMethodId: req.query.payment_method_id,
          outcome: req.query.outcome,
          limit: req.query.limit,
        })
      ).map(callbackView),
    }),
  );
}
