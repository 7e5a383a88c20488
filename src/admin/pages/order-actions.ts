import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adjustOrder } from '../../app/adjust-order.js';
import { cancelOrder } from '../../app/cancel-order.js';
import { checkPayment } from '../../app/check-payment.js';
import type { AppDeps } from '../../app/deps.js';
import { createPaymentLink, revokePaymentLink, type IssuedLink } from '../../app/payment-links.js';
import { confirmManualRefund, createRefund } from '../../app/refunds.js';
import { reviewOrder } from '../../app/review-order.js';
import { createShipment, recordShipmentEvent } from '../../app/shipments.js';
import { ADJUSTMENT_KINDS, type AdjustmentKind } from '../../domain/adjustment.js';
import { DELIVERY_STATUSES, PROOF_KINDS, type DeliveryProof, type DeliveryStatus } from '../../domain/delivery.js';
import type { Order } from '../../domain/order.js';
import type { Failure, Result } from '../../domain/result.js';
import { html } from '../../http/html.js';
import { field, money, refusal, render, seeOther, userActor, when, who } from '../render.js';
import { amountOf, countOf, instantOf, optionalTextOf, plausibleId, textOf, type NoticeKey } from './order-input.js';

type Req = FastifyRequest<{ Params: { id: string; sub?: string } }>;

const pageOf = (orderId: string) => `/admin/orders/${encodeURIComponent(orderId)}`;

/** The 404 page for an order id that names no order. */
export function orderNotFound(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return render(deps, req, reply, {
    title: 'No such order',
    status: 404,
    body: html`<p data-testid="not-found">There is no order with this id.</p>
      <p><a href="/admin/orders">Back to the orders</a></p>`,
  });
}

/**
 * The order page's actions. Each calls the use case its API route calls, answers a refusal page
 * (4xx, nothing changed) on failure, and on success redirects to the order with a fixed notice.
 */
export async function orderActions(app: FastifyInstance, deps: AppDeps) {
  // Loads the order named in the path (404 page when there is none), then runs the action.
  const withOrder =
    (run: (req: Req, reply: FastifyReply, order: Order) => Promise<FastifyReply>) =>
    async (req: Req, reply: FastifyReply) => {
      const order = plausibleId(req.params.id) ? await deps.storage.read.getOrder(req.params.id) : undefined;
      if (!order) return orderNotFound(deps, req, reply);
      return run(req, reply, order);
    };
  const refuse = (
    req: FastifyRequest,
    reply: FastifyReply,
    order: Order,
    failure: Failure,
    opts: { recorded?: boolean } = {},
  ) => refusal(deps, req, reply, failure, { href: pageOf(order.id), label: `Back to order ${order.reference}` }, opts);
  const done = (reply: FastifyReply, order: Order, notice: NoticeKey) =>
    seeOther(reply, `${pageOf(order.id)}?notice=${notice}`);

  app.post(
    '/orders/:id/payments/:sub/check',
    { config: { permission: 'orders.check' } },
    withOrder(async (req, reply, order) => {
      const r = await checkPayment(deps, { orderId: order.id, paymentId: req.params.sub ?? '' }, userActor(req));
      if (!r.ok) return refuse(req, reply, order, r.error);
      return done(reply, order, r.value.outcome === 'applied' ? 'checked' : 'checked_unchanged');
    }),
  );

  app.post(
    '/orders/:id/cancel',
    { config: { permission: 'orders.cancel' } },
    withOrder(async (req, reply, order) => {
      const reason = textOf(req.body, 'reason', 'A reason');
      if (!reason.ok) return refuse(req, reply, order, reason.error);
      const r = await cancelOrder(deps, { orderId: order.id, reason: reason.value }, userActor(req));
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
        deps,
        { orderId: order.id, amount: input.value.amount!, reason: input.value.reason },
        userActor(req),
      );
      if (!r.ok) return refuse(req, reply, order, r.error);
      const notice = (
        {
          succeeded: 'refunded',
          requested: 'refund_requested',
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
        deps,
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
        deps,
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

  app.post(
    '/orders/:id/payment-links',
    { config: { permission: 'orders.link' } },
    withOrder(async (req, reply, order) => {
      const input = all({
        amount: amountOf(req.body, 'amount', order.currency, { required: false }),
        hours: countOf(req.body, 'expires_in_hours', 'Expires in hours', 90 * 24),
        at: instantOf(req.body, 'expires_at', 'The expiry'),
        method: optionalTextOf(req.body, 'payment_method_id', 'The payment method', 64),
        reason: optionalTextOf(req.body, 'reason', 'The reason', 500),
      });
      if (!input.ok) return refuse(req, reply, order, input.error);
      const { amount, hours, at, method, reason } = input.value;
      if (!at && !hours)
        return refuse(req, reply, order, {
          code: 'invalid_request',
          message: 'Say when the link expires: in how many hours, or at what time.',
        });
      const expiresAt = at ?? new Date(deps.clock.now().getTime() + hours! * 3_600_000).toISOString();
      const r = await createPaymentLink(
        deps,
        { orderId: order.id, amount, expiresAt, paymentMethodId: method, reason },
        userActor(req),
      );
      if (!r.ok)
        return refuse(
          req,
          reply,
          order,
          r.error.code === 'payment_method_unknown' ? { ...r.error, code: 'payment_method_refused' } : r.error,
        );
      return linkShown(req, reply, order, r.value, 'The payment link was created.');
    }),
  );

  app.post(
    '/orders/:id/payment-links/:sub/revoke',
    { config: { permission: 'orders.link' } },
    withOrder(async (req, reply, order) => {
      const reason = textOf(req.body, 'reason', 'A reason');
      if (!reason.ok) return refuse(req, reply, order, reason.error);
      const link = plausibleId(req.params.sub ?? '')
        ? await deps.storage.read.getPaymentLink(req.params.sub ?? '')
        : undefined;
      if (!link || link.orderId !== order.id)
        return refuse(req, reply, order, {
          code: 'payment_link_not_found',
          message: 'This order has no such payment link.',
        });
      const r = await revokePaymentLink(deps, { linkId: link.id, reason: reason.value }, userActor(req));
      return r.ok ? done(reply, order, 'link_revoked') : refuse(req, reply, order, r.error);
    }),
  );

  app.post(
    '/orders/:id/shipments',
    { config: { permission: 'orders.delivery' } },
    withOrder(async (req, reply, order) => {
      const input = all({
        courier: optionalTextOf(req.body, 'courier', 'The courier', 100),
        ref: optionalTextOf(req.body, 'courier_ref', 'The courier reference', 200),
      });
      if (!input.ok) return refuse(req, reply, order, input.error);
      const r = await createShipment(
        deps,
        { orderId: order.id, courier: input.value.courier, courierRef: input.value.ref },
        userActor(req),
      );
      return r.ok ? done(reply, order, 'shipment_started') : refuse(req, reply, order, r.error);
    }),
  );

  app.post(
    '/orders/:id/shipments/:sub/events',
    { config: { permission: 'orders.delivery' } },
    withOrder(async (req, reply, order) => {
      const shipment = plausibleId(req.params.sub ?? '')
        ? await deps.storage.read.getShipment(req.params.sub ?? '')
        : undefined;
      if (!shipment || shipment.orderId !== order.id)
        return refuse(req, reply, order, { code: 'shipment_not_found', message: 'This order has no such shipment.' });
      const status = field(req.body, 'status');
      if (!status || status === 'not_started' || !(DELIVERY_STATUSES as readonly string[]).includes(status))
        return refuse(req, reply, order, { code: 'invalid_request', message: 'Choose what happened to the shipment.' });
      const input = all({
        at: instantOf(req.body, 'at', 'When it happened'),
        courier: optionalTextOf(req.body, 'courier', 'The courier', 100),
        ref: optionalTextOf(req.body, 'courier_ref', 'The courier reference', 200),
        proofRef: optionalTextOf(req.body, 'proof_reference', 'The proof reference', 200),
      });
      if (!input.ok) return refuse(req, reply, order, input.error);
      const at = input.value.at ?? deps.clock.now().toISOString();
      const proofKind = field(req.body, 'proof_kind') || undefined;
      if (
        proofKind !== undefined &&
        (!(PROOF_KINDS as readonly string[]).includes(proofKind) || !input.value.proofRef)
      ) {
        return refuse(req, reply, order, {
          code: 'invalid_request',
          message: 'Proof of delivery needs a known kind and a reference.',
        });
      }
      const proof: DeliveryProof | undefined = proofKind
        ? { at, kind: proofKind as DeliveryProof['kind'], reference: input.value.proofRef! }
        : undefined;
      const r = await recordShipmentEvent(
        deps,
        {
          shipmentId: shipment.id,
          status: status as DeliveryStatus,
          at,
          courier: input.value.courier,
          courierRef: input.value.ref,
          proof,
        },
        userActor(req),
      );
      if (!r.ok) return refuse(req, reply, order, r.error);
      return done(reply, order, r.value.duplicate ? 'delivery_unchanged' : 'delivery_recorded');
    }),
  );

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
      const r = await reviewOrder(deps, { orderId: order.id, decision, note: note.value }, userActor(req));
      return r.ok
        ? done(reply, order, decision === 'approve' ? 'approved' : 'rejected')
        : refuse(req, reply, order, r.error);
    }),
  );

  // The link's URL holds its token, which is stored only hashed: this page, rendered straight
  // from the post (not redirected to), is the only place it is ever shown.
  function linkShown(req: FastifyRequest, reply: FastifyReply, order: Order, issued: IssuedLink, lead: string) {
    const l = issued.link;
    return render(deps, req, reply, {
      title: `Payment link for order ${order.reference}`,
      body: html`<p>${lead}</p>
        <p>Copy it now and send it to the customer: <strong>it is not shown again</strong>.</p>
        <p><code data-testid="link-url">${issued.url}</code></p>
        <dl>
          <dt>Amount</dt>
          <dd>${money(l.amount, l.currency)}</dd>
          <dt>Expires</dt>
          <dd>${when(l.expiresAt)}</dd>
        </dl>
        <p><a href="${pageOf(order.id)}">Back to order ${order.reference}</a></p>`,
    });
  }
}

/** Several parsed fields at once: the first failure, or all the values. */
function all<T extends Record<string, Result<unknown>>>(
  fields: T,
): Result<{ [K in keyof T]: T[K] extends Result<infer V> ? V : never }> {
  const out: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(fields)) {
    if (!r.ok) return r;
    out[k] = r.value;
  }
  return { ok: true, value: out as { [K in keyof T]: T[K] extends Result<infer V> ? V : never } };
}
