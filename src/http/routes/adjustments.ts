import type { FastifyInstance } from 'fastify';
import { adjustOrder } from '../../app/adjust-order.js';
import type { AppDeps } from '../../app/deps.js';
import { adjustmentView, refundView } from '../../app/views.js';
import type { AdjustmentKind, AdjustmentLine } from '../../domain/adjustment.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { issuedLinkView } from './payment-links.js';
import { adjustmentResultSchema, createAdjustmentBody, idParams } from '../schemas.js';

const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  503: errorSchema,
};

export async function adjustmentRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks(deps);

  app.post<{
    Params: { id: string };
    Body: {
      kind: AdjustmentKind;
      lines?: AdjustmentLine[];
      amount_delta?: number;
      reason: string;
      link_expires_at?: string;
    };
  }>(
    '/v1/orders/:id/adjustments',
    {
      schema: {
        tags: ['orders'],
        summary:
          "Change the order's confirmed amount: partial_cancellation, replacement, fee_change, manual_price (admin)",
        description:
          'On a prepaid order the new amount is settled against what was paid: a surplus becomes a partial refund of the affected lines, a shortfall a payment link (both in the answer; the link URL is shown only here). A link open for the old amount is revoked. Send an Idempotency-Key: a retry answers the first result and refunds nothing more.',
        security: [{ bearer: [] }],
        params: idParams('id'),
        body: createAdjustmentBody,
        response: { 201: adjustmentResultSchema, ...errors },
      },
      preHandler: [store, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const b = req.body;
      const admin = req.apiKey?.scopes.includes('admin') ?? false;
      const r = await adjustOrder(
        deps,
        {
          orderId: req.params.id,
          kind: b.kind,
          lines: b.lines,
          amountDelta: b.amount_delta,
          reason: b.reason,
          linkExpiresAt: b.link_expires_at,
        },
        actorOf(req),
        { admin },
      );
      if (!r.ok) return sendFailure(reply, r.error);
      const { adjustment, refund, paymentLink } = r.value;
      return reply
        .code(201)
        .send({
          adjustment: adjustmentView(adjustment),
          refund: refund && refundView(refund),
          payment_link: paymentLink && issuedLinkView(paymentLink, deps.clock.now().toISOString()),
        });
    },
  );
}
