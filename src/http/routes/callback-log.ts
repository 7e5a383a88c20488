import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { listCallbackLog } from '../../app/queries/api-callbacks.js';
import { CALLBACK_OUTCOMES, callbackListSchema, callbackListView } from '../../contract/callback-record.js';
import { text } from '../../contract/fields.js';
import type { CallbackOutcome } from '../../domain/callback-record.js';
import { requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { API_ERRORS, apiSchema } from '../route.js';

const listCallbacksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    order_id: { ...text(64), description: 'The callbacks matched to this order (any of its payments)' },
    payment_method_id: text(64),
    outcome: { type: 'string', enum: [...CALLBACK_OUTCOMES] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { ...text(200), description: "The previous page's next_cursor" },
  },
} as const;

type ListQuery = {
  order_id?: string;
  payment_method_id?: string;
  outcome?: CallbackOutcome;
  limit: number;
  cursor?: string;
};

/** The callback log, for support: what each provider sent and what Settle made of it. Admin only. */
export async function callbackLogRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');

  app.get<{ Querystring: ListQuery }>(
    '/v1/callbacks',
    {
      schema: apiSchema(
        {
          tags: ['callbacks'],
          summary:
            'Inbound callbacks as received (secrets redacted), newest first (keyset pagination), filtered by order, payment method and outcome',
          querystring: listCallbacksQuery,
          response: { 200: callbackListSchema },
        },
        // 502 as in the schema of the file this route came from.
        [...API_ERRORS, 502],
      ),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await listCallbackLog(req.deps, {
        orderId: req.query.order_id,
        paymentMethodId: req.query.payment_method_id,
        outcome: req.query.outcome,
        limit: req.query.limit,
        cursor: req.query.cursor,
      });
      if (!r.ok) return sendFailure(reply, r.error);
      return callbackListView(r.value.callbacks, r.value.nextCursor);
    },
  );
}
