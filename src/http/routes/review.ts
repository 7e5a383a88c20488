import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { paymentsOf } from '../../app/queries/api-orders.js';
import { reviewOrder } from '../../app/review-order.js';
import { text } from '../../contract/fields.js';
import { orderSchema, orderView } from '../../contract/order.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { apiSchema, idempotent, idParams } from '../route.js';

const reviewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['decision', 'note'],
  properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, note: text(2000) },
} as const;

/** The review decision on a paid order on hold: admin only, as it lets an order be fulfilled or refunds it. */
export async function reviewRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const idem = idempotencyHooks();

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; note: string } }>(
    '/v1/orders/:id/review',
    {
      schema: apiSchema({
        tags: ['review'],
        summary: 'Approve or reject a paid order after review',
        description:
          'approve: on hold → processing. reject: every payment is refunded in full and the order is canceled.',
        params: idParams('id'),
        body: reviewBody,
        response: { 200: orderSchema },
      }),
      ...idempotent(admin, idem),
    },
    async (req, reply) => {
      const r = await reviewOrder(req.deps, { orderId: req.params.id, ...req.body }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return orderView(r.value, await paymentsOf(req.deps, r.value.id));
    },
  );
}
