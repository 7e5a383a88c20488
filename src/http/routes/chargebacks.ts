import type { FastifyInstance } from 'fastify';
import { decideChargeback, openChargeback } from '../../app/chargebacks.js';
import type { AppDeps } from '../../app/deps.js';
import { chargebackSchema, chargebackView } from '../../contract/chargeback.js';
import { MAX_MINOR, text } from '../../contract/fields.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { apiSchema, idempotent, idParams, idsParams } from '../route.js';

const createChargebackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'reason_code'],
  properties: {
    amount: { type: 'integer', minimum: 1, maximum: MAX_MINOR },
    reason_code: text(64),
    payment_id: text(64),
    provider_ref: text(128),
    note: text(2000),
  },
} as const;

const decideChargebackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['won', 'lost'] }, note: text(2000) },
} as const;

/** Chargebacks recorded and decided by hand: admin only. */
export async function chargebackRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const idem = idempotencyHooks();

  app.post<{
    Params: { id: string };
    Body: { amount: number; reason_code: string; payment_id?: string; provider_ref?: string; note?: string };
  }>(
    '/v1/orders/:id/chargebacks',
    {
      schema: apiSchema({
        tags: ['chargebacks'],
        summary: 'Record a chargeback (a dispute the card holder opened)',
        description:
          'A separate record from refunds. The payment status becomes charged_back until the dispute is won; a task goes to accounting.',
        params: idParams('id'),
        body: createChargebackBody,
        response: { 201: chargebackSchema },
      }),
      ...idempotent(admin, idem),
    },
    async (req, reply) => {
      const b = req.body;
      const r = await openChargeback(
        req.deps,
        {
          orderId: req.params.id,
          amount: b.amount,
          reasonCode: b.reason_code,
          paymentId: b.payment_id,
          providerRef: b.provider_ref,
          note: b.note,
        },
        actorOf(req),
      );
      return r.ok ? reply.code(201).send(chargebackView(r.value)) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string; chargebackId: string }; Body: { status: 'won' | 'lost'; note?: string } }>(
    '/v1/orders/:id/chargebacks/:chargebackId',
    {
      schema: apiSchema({
        tags: ['chargebacks'],
        summary: 'Record how a dispute ended: won or lost',
        params: idsParams('id', 'chargebackId'),
        body: decideChargebackBody,
        response: { 200: chargebackSchema },
      }),
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await decideChargeback(
        req.deps,
        { orderId: req.params.id, chargebackId: req.params.chargebackId, ...req.body },
        actorOf(req),
      );
      return r.ok ? chargebackView(r.value) : sendFailure(reply, r.error);
    },
  );
}
