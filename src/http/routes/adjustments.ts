import type { FastifyInstance } from 'fastify';
import { adjustOrder } from '../../app/adjust-order.js';
import type { AppDeps } from '../../app/deps.js';
import { adjustmentResultSchema, adjustmentResultView } from '../../contract/adjustment.js';
import { isoTime, MAX_MINOR, text } from '../../contract/fields.js';
import { ADJUSTMENT_KINDS, type AdjustmentKind, type AdjustmentLine } from '../../domain/adjustment.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { skuQuantityLine } from '../request-lines.js';
import { apiSchema, idempotent, idParams } from '../route.js';

const createAdjustmentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'reason'],
  properties: {
    kind: { type: 'string', enum: [...ADJUSTMENT_KINDS] },
    lines: { type: 'array', maxItems: 500, items: skuQuantityLine },
    amount_delta: {
      type: 'integer',
      minimum: -MAX_MINOR,
      maximum: MAX_MINOR,
      description: 'Signed, minor units; a partial cancellation takes it from its lines',
    },
    reason: text(500),
    link_expires_at: {
      ...isoTime,
      description: 'When a rise on a prepaid order becomes a payment link: its expiry (default 72 hours)',
    },
  },
} as const;

export async function adjustmentRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks();

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
      schema: apiSchema({
        tags: ['orders'],
        summary:
          "Change the order's confirmed amount: partial_cancellation, replacement, fee_change, manual_price (admin)",
        description:
          'On a prepaid order the new amount is settled against what was paid: a surplus becomes a partial refund of the affected lines, a shortfall a payment link (both in the answer; the link URL is shown only here). A link open for the old amount is revoked. Send an Idempotency-Key: a retry answers the first result and refunds nothing more.',
        params: idParams('id'),
        body: createAdjustmentBody,
        response: { 201: adjustmentResultSchema },
      }),
      ...idempotent(store, idem),
    },
    async (req, reply) => {
      const b = req.body;
      const admin = req.apiKey?.scopes.includes('admin') ?? false;
      const r = await adjustOrder(
        req.deps,
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
      return reply.code(201).send(adjustmentResultView(r.value, req.deps.clock.now().toISOString()));
    },
  );
}
