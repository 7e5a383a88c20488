import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { createShipment, fulfilOrder, recordShipmentEvent } from '../../app/shipments.js';
import { isoTime, text } from '../../contract/fields.js';
import { shipmentSchema, shipmentView } from '../../contract/shipment.js';
import { DELIVERY_STATUSES, PROOF_KINDS } from '../../domain/delivery.js';
import type { DeliveryProof, DeliveryStatus, ShipmentLine } from '../../domain/delivery.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { skuQuantityLine } from '../request-lines.js';
import { apiSchema, idempotent, idParams, reasonBody } from '../route.js';

const createShipmentBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lines: { type: 'array', maxItems: 500, items: skuQuantityLine, description: 'Leave out for the whole order' },
    courier: text(100),
    courier_ref: text(200),
  },
} as const;

const proof = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'kind', 'reference'],
  properties: { at: isoTime, kind: { type: 'string', enum: [...PROOF_KINDS] }, reference: text(200) },
  description: 'When, how (signature, code, photo, courier_event) and a reference: no names, addresses or images',
} as const;

const shipmentEventBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'at'],
  properties: {
    status: { type: 'string', enum: DELIVERY_STATUSES.filter((s) => s !== 'not_started') },
    at: isoTime,
    courier: text(100),
    courier_ref: text(200),
    proof,
  },
} as const;

/** The delivery track: shipments, their events (also what a courier integration calls), fulfilment without delivery. */
export async function shipmentRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks();

  app.post<{ Params: { id: string }; Body: { lines?: ShipmentLine[]; courier?: string; courier_ref?: string } }>(
    '/v1/orders/:id/shipments',
    {
      schema: apiSchema({
        tags: ['delivery'],
        summary: 'Start a shipment of the whole order or of some of its lines',
        description:
          'Only a processing order ships (paid and approved). Lines may be split over several shipments, never above what was ordered.',
        params: idParams('id'),
        body: createShipmentBody,
        response: { 201: shipmentSchema },
      }),
      ...idempotent(store, idem),
    },
    async (req, reply) => {
      const r = await createShipment(
        req.deps,
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
      schema: apiSchema({
        tags: ['delivery'],
        summary:
          'Record what happened to a shipment: packed, handed to the courier, delivered (with proof), failed, returned',
        description:
          'A repeat of the current status is answered 200 and changes nothing. A new courier or courier reference keeps the shipment and the payment. A failed delivery or a return opens a task. The order completes once it is paid, delivered and has no open task.',
        params: idParams('id'),
        body: shipmentEventBody,
        response: { 200: shipmentSchema },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const b = req.body;
      const r = await recordShipmentEvent(
        req.deps,
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
      schema: apiSchema({
        tags: ['delivery'],
        summary: 'Mark an order without delivery (a service, a pick-up) as fulfilled',
        params: idParams('id'),
        body: reasonBody('note', 500),
        response: { 204: { type: 'null' } },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await fulfilOrder(req.deps, { orderId: req.params.id, note: req.body.note }, actorOf(req));
      return r.ok ? reply.code(204).send() : sendFailure(reply, r.error);
    },
  );
}
