import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createShipment, fulfilOrder, recordShipmentEvent } from '../../app/shipments.js';
import { shipmentView } from '../../app/views.js';
import type { DeliveryProof, DeliveryStatus, ShipmentLine } from '../../domain/delivery.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { createShipmentBody, idParams, reasonBody, shipmentEventBody, shipmentSchema } from '../schemas.js';

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

/** The delivery track: shipments, their events (also what a courier integration calls), fulfilment without delivery. */
export async function shipmentRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks(deps);

  app.post<{ Params: { id: string }; Body: { lines?: ShipmentLine[]; courier?: string; courier_ref?: string } }>(
    '/v1/orders/:id/shipments',
    {
      schema: {
        tags: ['delivery'],
        summary: 'Start a shipment of the whole order or of some of its lines',
        description:
          'Only a processing order ships (paid and approved). Lines may be split over several shipments, never above what was ordered.',
        security,
        params: idParams('id'),
        body: createShipmentBody,
        response: { 201: shipmentSchema, ...errors },
      },
      preHandler: [store, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const r = await createShipment(
        deps,
        { orderId: req.params.id, lines: req.body.lines, courier: req.body.courier, courierRef: req.body.courier_ref },
        actorOf(req),
      );
      return r.ok ? reply.code(201).send(shipmentView(r.value)) : sendFailure(reply, r.error);
    },
  );

  app.post<{
    Params: { id: string };
    Body: { status: DeliveryStatus; at: string; courier?: string; courier_ref?: string; proof?: DeliveryProof };
  }>(
    '/v1/shipments/:id/events',
    {
      schema: {
        tags: ['delivery'],
        summary:
          'Record what happened to a shipment: packed, handed to the courier, delivered (with proof), failed, returned',
        description:
          'A repeat of the current status is answered 200 and changes nothing. A new courier or courier reference keeps the shipment and the payment. A failed delivery or a return opens a task. The order completes once it is paid, delivered and has no open task.',
        security,
        params: idParams('id'),
        body: shipmentEventBody,
        response: { 200: shipmentSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const b = req.body;
      const r = await recordShipmentEvent(
        deps,
        {
          shipmentId: req.params.id,
          status: b.status,
          at: b.at,
          courier: b.courier,
          courierRef: b.courier_ref,
          proof: b.proof,
        },
        actorOf(req),
      );
      return r.ok ? shipmentView(r.value.shipment) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/v1/orders/:id/fulfil',
    {
      schema: {
        tags: ['delivery'],
        summary: 'Mark an order without delivery (a service, a pick-up) as fulfilled',
        security,
        params: idParams('id'),
        body: reasonBody('note', 500),
        response: { 204: { type: 'null' }, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await fulfilOrder(deps, { orderId: req.params.id, note: req.body.note }, actorOf(req));
      return r.ok ? reply.code(204).send() : sendFailure(reply, r.error);
    },
  );
}
