import type { FastifyInstance } from 'fastify';
import { adjustOrder } from '../../app/adjust-order.js';
import { cancelOrder } from '../../app/cancel-order.js';
import { capturePayment } from '../../app/capture-payment.js';
import { checkPayment } from '../../app/check-payment.js';
import type { AppDeps } from '../../app/deps.js';
import { confirmManualRefund, createRefund } from '../../app/refunds.js';
import { reviewOrder } from '../../app/review-order.js';
import { ADJUSTMENT_KINDS, type AdjustmentKind } from '../../domain/adjustment.js';
import { field, userActor, who } from '../render.js';
import { all, orderActionKit } from './order-action-kit.js';
import { paymentLinkAndShipmentActions } from './order-link-actions.js';
import { amountOf, countOf, textOf } from './order-input.js';

/**
 * The order page's actions. Each calls the use case its API route calls, answers a refusal page
 * (4xx, nothing changed) on failure, and on success redirects to the order with a fixed notice.
 */
export async function orderActions(app: FastifyInstance, deps: AppDeps) {
  const kit = orderActionKit();
  const { withOrder, refuse, done, linkShown } = kit;

  app.post(
    '/orders/:id/payments/:sub/check',
    { config: { permission: 'orders.check' } },
    withOrder(async (req, reply, order) => {
      const r = await checkPayment(req.deps, { orderId: order.id, paymentId: req.params.sub ?? '' }, userActor(req));
      if (!r.ok) return refuse(req, reply, order, r.error);
      return done(reply, order, r.value.outcome === 'applied' ? 'checked' : 'checked_unchanged');
    }),
  );

  // Taking a held payment moves money: the refund permission's holders (support, accounting, admin).
  app.post(
    '/orders/:id/payments/:sub/capture',
    { config: { permission: 'orders.refund' } },
    withOrder(async (req, reply, order) => {
      const r = await capturePayment(req.deps, { orderId: order.id, paymentId: req.params.sub ?? '' }, userActor(req));
      if (!r.ok) return refuse(req, reply, order, r.error);
      return done(reply, order, r.value.status === 'succeeded' ? 'captured' : 'checked_unchanged');
    }),
  );

  app.post(
    '/orders/:id/cancel',
    { config: { permission: 'orders.cancel' } },
    withOrder(async (req, reply, order) => {
      const reason = textOf(req.body, 'reason', 'A reason');
      if (!reason.ok) return refuse(req, reply, order, reason.error);
      const r = await cancelOrder(req.deps, { orderId: order.id, reason: reason.value }, userActor(req));
      // Refusals before the call change nothing; an acquirer's refusal comes after the intent and a task were recorded.
      const before = ['order_not_found', 'order_paid', 'order_not_cancelable', 'cancel_in_progress'];
      return r.ok
        ? done(reply, order, 'canceled')
        : refuse(req, reply, order, r.error, { recorded: !before.includes(r.error.code) });
    }),
  );

  app.post(
    '/orders/:id/refunds',
    { config: { permission: 'orders.refund' } },
    withOrder(async (req, reply, order) => {
      const input = all({
        amount: amountOf(req.body, 'amount', order.currency, { required: true }),
        reason: textOf(req.body, 'reason', 'A reason'),
      });
      if (!input.ok) return refuse(req, reply, order, input.error);
      const r = await createRefund(
        req.deps,
        { orderId: order.id, amount: input.value.amount!, reason: input.value.reason },
        userActor(req),
      );
      if (!r.ok) return refuse(req, reply, order, r.error);
      const notice = (
        {
          succeeded: 'refunded',
          requested: 'refund_requested',
          pending: 'refund_pending',
          manual: 'refund_manual',
          failed: 'refund_failed',
        } as const
      )[r.value.status];
      return done(reply, order, notice);
    }),
  );

  app.post(
    '/orders/:id/refunds/:sub/confirm',
    { config: { permission: 'orders.refund' } },
    withOrder(async (req, reply, order) => {
      const note = textOf(req.body, 'note', 'How it was paid out', 2000);
      if (!note.ok) return refuse(req, reply, order, note.error);
      const r = await confirmManualRefund(
        req.deps,
        { orderId: order.id, refundId: req.params.sub ?? '', note: note.value },
        userActor(req),
      );
      return r.ok ? done(reply, order, 'refund_confirmed') : refuse(req, reply, order, r.error);
    }),
  );

  app.post(
    '/orders/:id/adjustments',
    { config: { permission: 'orders.adjust' } },
    withOrder(async (req, reply, order) => {
      const kind = field(req.body, 'kind');
      if (!kind || !(ADJUSTMENT_KINDS as readonly string[]).includes(kind))
        return refuse(req, reply, order, { code: 'invalid_request', message: 'Choose the kind of adjustment.' });
      const sku = field(req.body, 'sku')?.trim();
      const input = all({
        delta: amountOf(req.body, 'amount_delta', order.currency, { required: false, signed: true }),
        quantity: countOf(req.body, 'quantity', 'The quantity', 1_000_000),
        reason: textOf(req.body, 'reason', 'A reason'),
      });
      if (!input.ok) return refuse(req, reply, order, input.error);
      const lines = sku ? [{ sku, quantity: input.value.quantity ?? 1 }] : undefined;
      const admin = who(req).user.role === 'admin';
      const r = await adjustOrder(
        req.deps,
        {
          orderId: order.id,
          kind: kind as AdjustmentKind,
          lines,
          amountDelta: input.value.delta,
          reason: input.value.reason,
        },
        userActor(req),
        { admin },
      );
      if (!r.ok) return refuse(req, reply, order, r.error);
      if (r.value.paymentLink)
        return linkShown(
          req,
          reply,
          order,
          r.value.paymentLink,
          'The amount was adjusted. The customer owes more than was paid: send them this link.',
        );
      return done(reply, order, r.value.refund ? 'adjusted_refund' : 'adjusted');
    }),
  );

  await paymentLinkAndShipmentActions(app, deps, kit);

  app.post(
    '/orders/:id/review',
    { config: { permission: 'orders.review' } },
    withOrder(async (req, reply, order) => {
      const decision = field(req.body, 'decision');
      if (decision !== 'approve' && decision !== 'reject')
        return refuse(req, reply, order, { code: 'invalid_request', message: 'Choose approve or reject.' });
      const note = textOf(req.body, 'note', 'A note', 2000);
      if (!note.ok) return refuse(req, reply, order, note.error);
      // The page decides only a pending review; the API also lets an admin reject an approved order.
      if (order.reviewStatus !== 'pending') {
        return refuse(
          req,
          reply,
          order,
          order.reviewStatus === 'none'
            ? { code: 'order_not_reviewable', message: `Order ${order.reference} has no payment waiting for review.` }
            : {
                code: 'review_decided',
                message: `Order ${order.reference} was already ${order.reviewStatus} in review.`,
              },
        );
      }
      const r = await reviewOrder(req.deps, { orderId: order.id, decision, note: note.value }, userActor(req));
      return r.ok
        ? done(reply, order, decision === 'approve' ? 'approved' : 'rejected')
        : refuse(req, reply, order, r.error);
    }),
  );
}
