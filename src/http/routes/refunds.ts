import type { FastifyInstance } from 'fastify';
import { decideChargeback, openChargeback } from '../../app/chargebacks.js';
import type { AppDeps } from '../../app/deps.js';
import { confirmManualRefund, createRefund } from '../../app/refunds.js';
import { reviewOrder } from '../../app/review-order.js';
import { chargebackView, orderView, refundView } from '../../app/views.js';
import type { RefundLine } from '../../domain/refund.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import {
  chargebackSchema,
  createChargebackBody,
  createRefundBody,
  decideChargebackBody,
  idParams,
  orderSchema,
  reasonBody,
  refundSchema,
  reviewBody,
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
const orderAnd = (name: string) => ({
  type: 'object',
  properties: { ...idParams('id').properties, ...idParams(name).properties },
});

/** Review decisions, refunds and chargebacks: admin only, as they move money or let an order be fulfilled. */
export async function refundRoutes(app: FastifyInstance, deps: AppDeps) {
  const admin = requireScope(deps, 'admin');
  const idem = idempotencyHooks(deps);

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; note: string } }>(
    '/v1/orders/:id/review',
    {
      schema: {
        tags: ['review'],
        summary: 'Approve or reject a paid order after review',
        description:
          'approve: on hold → processing. reject: every payment is refunded in full and the order is canceled.',
        security,
        params: idParams('id'),
        body: reviewBody,
        response: { 200: orderSchema, ...errors },
      },
      preHandler: [admin, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const r = await reviewOrder(deps, { orderId: req.params.id, ...req.body }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return orderView(r.value, await deps.storage.read.listAttempts(r.value.id));
    },
  );

  app.post<{
    Params: { id: string };
    Body: { amount: number; reason: string; lines?: RefundLine[]; payment_id?: string };
  }>(
    '/v1/orders/:id/refunds',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Refund part or all of a paid order',
        description:
          'Never above what is still refundable (409 with details.refundable). 201 with status succeeded or failed once the acquirer answered; 202 with status requested when it did not (Settle settles it later); 201 with status manual when the acquirer has no refund call: pay it out by hand, then confirm it.',
        security,
        params: idParams('id'),
        body: createRefundBody,
        response: { 201: refundSchema, 202: refundSchema, ...errors },
      },
      preHandler: [admin, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const { amount, reason, lines, payment_id } = req.body;
      const r = await createRefund(
        deps,
        { orderId: req.params.id, amount, reason, lines, paymentId: payment_id },
        actorOf(req),
      );
      if (!r.ok) return sendFailure(reply, r.error);
      return reply.code(r.value.status === 'requested' ? 202 : 201).send(refundView(r.value));
    },
  );

  app.post<{ Params: { id: string; refundId: string }; Body: { note: string } }>(
    '/v1/orders/:id/refunds/:refundId/confirm',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Confirm that a manual refund was paid out by hand',
        security,
        params: orderAnd('refundId'),
        body: reasonBody('note', 2000),
        response: { 200: refundSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await confirmManualRefund(
        deps,
        { orderId: req.params.id, refundId: req.params.refundId, note: req.body.note },
        actorOf(req),
      );
      return r.ok ? refundView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.post<{
    Params: { id: string };
    Body: { amount: number; reason_code: string; payment_id?: string; provider_ref?: string; note?: string };
  }>(
    '/v1/orders/:id/chargebacks',
    {
      schema: {
        tags: ['chargebacks'],
        summary: 'Record a chargeback (a dispute the card holder opened)',
        description:
          'A separate record from refunds. The payment status becomes charged_back until the dispute is won; a task goes to accounting.',
        security,
        params: idParams('id'),
        body: createChargebackBody,
        response: { 201: chargebackSchema, ...errors },
      },
      preHandler: [admin, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const b = req.body;
      const r = await openChargeback(
        deps,
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
      schema: {
        tags: ['chargebacks'],
        summary: 'Record how a dispute ended: won or lost',
        security,
        params: orderAnd('chargebackId'),
        body: decideChargebackBody,
        response: { 200: chargebackSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await decideChargeback(
        deps,
        { orderId: req.params.id, chargebackId: req.params.chargebackId, ...req.body },
        actorOf(req),
      );
      return r.ok ? chargebackView(r.value) : sendFailure(reply, r.error);
    },
  );
}
