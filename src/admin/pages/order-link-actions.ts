import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createPaymentLink, revokePaymentLink } from '../../app/payment-links.js';
import { paymentLinkOf, shipmentOf } from '../../app/queries/admin-orders.js';
import { createShipment, recordShipmentEvent } from '../../app/shipments.js';
import { DELIVERY_STATUSES, PROOF_KINDS, type DeliveryProof, type DeliveryStatus } from '../../domain/delivery.js';
import { field, userActor } from '../render.js';
import { all, type orderActionKit } from './order-action-kit.js';
import { amountOf, countOf, instantOf, optionalTextOf, plausibleId, textOf } from './order-input.js';

/** The order page's payment-link and delivery actions (create and revoke a link, start and record a shipment). */
export async function paymentLinkAndShipmentActions(
  app: FastifyInstance,
  deps: AppDeps,
  { withOrder, refuse, done, linkShown }: ReturnType<typeof orderActionKit>,
) {
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
      const expiresAt = at ?? new Date(req.deps.clock.now().getTime() + hours! * 3_600_000).toISOString();
      const r = await createPaymentLink(
        req.deps,
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
        ? await paymentLinkOf(req.deps, order.id, req.params.sub ?? '')
        : undefined;
      if (!link)
        return refuse(req, reply, order, {
          code: 'payment_link_not_found',
          message: 'This order has no such payment link.',
        });
      const r = await revokePaymentLink(req.deps, { linkId: link.id, reason: reason.value }, userActor(req));
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
        req.deps,
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
        ? await shipmentOf(req.deps, order.id, req.params.sub ?? '')
        : undefined;
      if (!shipment)
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
      const at = input.value.at ?? req.deps.clock.now().toISOString();
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
        req.deps,
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
}
