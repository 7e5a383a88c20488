import type { FastifyInstance } from 'fastify';
import { createOrder, type CreateOrderInput } from '../../app/create-order.js';
import type { AppDeps } from '../../app/deps.js';
import { getOrderDetail } from '../../app/order-detail.js';
import { getTimeline, listOrders, type OrderFilters } from '../../app/queries.js';
import { startPayment } from '../../app/start-payment.js';
import { attemptView, eventView, orderDetailView, orderView } from '../../app/views.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import {
  createdOrderSchema,
  createOrderBody,
  createPaymentBody,
  idParams,
  listOrdersQuery,
  orderListSchema,
  orderDetailSchema,
  paymentSchema,
  timelineSchema,
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

export async function orderRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks(deps);

  app.post<{ Body: CreateOrderInput }>(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Save an order as pending payment before the customer goes to pay',
        description:
          'The same reference (without regard to case) with the same content returns the existing order (200); with other content it is 409.',
        security,
        body: createOrderBody,
        response: { 200: createdOrderSchema, 201: createdOrderSchema, ...errors },
      },
      preHandler: [store, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const r = await createOrder(deps, req.body, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      const { order, orderKey, created } = r.value;
      const attempts = created ? [] : await deps.storage.read.listAttempts(order.id);
      return reply.code(created ? 201 : 200).send({ ...orderView(order, attempts), order_key: orderKey });
    },
  );

  app.get<{ Querystring: OrderFilters & { limit: number; cursor?: string } }>(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary:
          'List orders, newest first (keyset pagination), filtered by any status track, payment method, day and reference',
        security,
        querystring: listOrdersQuery,
        response: { 200: orderListSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await listOrders(deps, req.query);
      if (!r.ok) return sendFailure(reply, r.error);
      const attempts = await deps.storage.read.listAttemptsForOrders(r.value.orders.map((o) => o.id));
      const data = r.value.orders.map((o) => orderView(o, attempts.get(o.id) ?? []));
      return { data, next_cursor: r.value.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'One order with every track: payments, refunds, chargebacks, fiscal receipts and webhook sync',
        security,
        params: idParams('id'),
        response: { 200: orderDetailSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await getOrderDetail(deps, req.params.id);
      if (!r.ok) return sendFailure(reply, r.error);
      return orderDetailView(r.value.order, r.value.attempts, r.value.detail);
    },
  );

  app.post<{ Params: { id: string }; Body: { payment_method_id: string } }>(
    '/v1/orders/:id/payments',
    {
      schema: {
        tags: ['payments'],
        summary: "Start a payment attempt for the order's current amount",
        description:
          'Returns the attempt with next_step (where to send the customer). A retry is a new attempt; a paid or canceled order refuses (409).',
        security,
        params: idParams('id'),
        body: createPaymentBody,
        response: { 201: paymentSchema, ...errors },
      },
      preHandler: [store, idem.preHandler],
      onSend: idem.onSend,
    },
    async (req, reply) => {
      const r = await startPayment(
        deps,
        { orderId: req.params.id, paymentMethodId: req.body.payment_method_id },
        actorOf(req),
      );
      if (!r.ok) {
        // The method is named in the body, not the path: an unknown one is a refusal, not a 404.
        if (r.error.code === 'payment_method_unknown')
          return sendFailure(reply, { ...r.error, code: 'payment_method_refused' });
        return sendFailure(reply, r.error);
      }
      return reply.code(201).send(attemptView(r.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/orders/:id/timeline',
    {
      schema: {
        tags: ['orders'],
        summary: "The order's timeline, oldest first",
        security,
        params: idParams('id'),
        response: { 200: timelineSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await getTimeline(deps, req.params.id);
      if (!r.ok) return sendFailure(reply, r.error);
      return { data: r.value.events.map((e) => eventView(e, r.value.order.currency)) };
    },
  );
}
