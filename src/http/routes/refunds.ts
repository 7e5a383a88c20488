import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { confirmManualRefund, createRefund } from '../../app/refunds.js';
import { MAX_MINOR, text } from '../../contract/fields.js';
import { refundSchema, refundView } from '../../contract/refund.js';
import type { RefundLine } from '../../domain/refund.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { apiSchema, idempotent, idParams, idsParams, reasonBody } from '../route.js';
import { skuQuantityLine } from '../request-lines.js';

const createRefundBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'reason'],
  properties: {
    amount: { type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'Minor units' },
    reason: text(500),
    lines: { type: 'array', maxItems: 500, items: skuQuantityLine },
    payment_id: text(64),
  },
} as const;

/** Refunds: admin only, as they move money. */
export async function refundRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const idem = idempotencyHooks();

  app.post<{
    Params: { id: string };
    Body: { amount: number; reason: string; lines?: RefundLine[]; payment_id?: string };
  }>(
    '/v1/orders/:id/refunds',
    {
      schema: apiSchema({
        tags: ['refunds'],
        summary: 'Refund part or all of a paid order',
        description:
          'Never above what is still refundable (409 with details.refundable). 201 with status succeeded or failed once the acquirer answered; 202 with status requested when it did not, or pending when it accepted the refund and has not finished it (Settle settles it later); 201 with status manual when the acquirer has no refund call: pay it out by hand, then confirm it.',
        params: idParams('id'),
        body: createRefundBody,
        response: { 201: refundSchema, 202: refundSchema },
      }),
      ...idempotent(admin, idem),
    },
    async (req, reply) => {
      const { amount, reason, lines, payment_id } = req.body;
      const r = await createRefund(
        req.deps,
        { orderId: req.params.id, amount, reason, lines, paymentId: payment_id },
        actorOf(req),
      );
      if (!r.ok) return sendFailure(reply, r.error);
      return reply
        .code(r.value.status === 'requested' || r.value.status === 'pending' ? 202 : 201)
        .send(refundView(r.value));
    },
  );

  app.post<{ Params: { id: string; refundId: string }; Body: { note: string } }>(
    '/v1/orders/:id/refunds/:refundId/confirm',
    {
      schema: apiSchema({
        tags: ['refunds'],
        summary: 'Confirm that a manual refund was paid out by hand',
        params: idsParams('id', 'refundId'),
        body: reasonBody('note', 2000),
        response: { 200: refundSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await confirmManualRefund(
        req.deps,
        { orderId: req.params.id, refundId: req.params.refundId, note: req.body.note },
        actorOf(req),
      );
      return r.ok ? refundView(r.value) : sendFailure(reply, r.error);
    },
  );
}
