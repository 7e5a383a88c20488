import type { FastifyInstance } from 'fastify';
import { cancelOrder } from '../../app/cancel-order.js';
import { createOrder, type CreateOrderInput } from '../../app/create-order.js';
import type { AppDeps } from '../../app/deps.js';
import { getOrderDetail } from '../../app/order-detail.js';
import { getTimeline, type OrderFilters } from '../../app/queries/index.js';
import { listOrdersWithPayments, paymentsOf } from '../../app/queries/api-orders.js';
import { orderDetailSchema, orderDetailView } from '../../contract/order-detail.js';
import {
  createdOrderSchema,
  createdOrderView,
  orderListSchema,
  orderListView,
  orderSchema,
  orderView,
} from '../../contract/order.js';
import { eventView, timelineSchema } from '../../contract/timeline-event.js';
import { currency, email, httpUrl, MAX_MINOR, minor, text } from '../../contract/fields.js';
import { ORDER_DELIVERY_STATUSES } from '../../domain/delivery.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../../domain/order-status.js';
import { FISCAL_STATUSES } from '../../domain/receipt.js';
import { REVIEW_STATUSES } from '../../domain/review.js';
import { actorOf, requireScope } from '../auth.js';
import { sendFailure } from '../errors.js';
import { idempotencyHooks } from '../idempotency.js';
import { API_ERRORS, apiSchema, idempotent, idParams, reasonBody } from '../route.js';

const line = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'name', 'quantity', 'unit_amount'],
  properties: {
    sku: text(64),
    name: text(256),
    quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    unit_amount: minor,
  },
} as const;

const customer = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email,
    phone: { type: 'string', maxLength: 32, pattern: '^[+0-9 ()-]{3,32}$' },
    name: text(200),
    ip: {
      type: 'string',
      maxLength: 45,
      pattern: '^[0-9A-Fa-f:.]{2,45}$',
      description: "The buyer's IP, for the antifraud rules",
    },
  },
} as const;

const createOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reference', 'currency'],
  properties: {
    reference: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[^\\s\\x00-\\x1f]+$',
      description: "The store's order number, unique without regard to case",
    },
    currency,
    amount: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_MINOR,
      description: 'Minor units; computed from lines when they are given',
    },
    lines: { type: 'array', maxItems: 500, items: line },
    shipping_amount: minor,
    customer,
    return_url: httpUrl,
    locale: {
      type: 'string',
      maxLength: 35,
      pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
      description:
        "The customer's language (BCP 47: hy, ru-RU, en): the return and pay-by-link pages speak it (Armenian, Russian or English), else the browser's Accept-Language decides",
    },
    metadata: {
      type: 'object',
      maxProperties: 50,
      additionalProperties: { type: 'string', maxLength: 500 },
      propertyNames: { maxLength: 40 },
    },
  },
} as const;

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

const listOrdersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...ORDER_STATUSES] },
    payment_status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    delivery_status: { type: 'string', enum: [...ORDER_DELIVERY_STATUSES] },
    fiscal_status: { type: 'string', enum: [...FISCAL_STATUSES] },
    review_status: { type: 'string', enum: [...REVIEW_STATUSES] },
    sync: {
      type: 'string',
      enum: ['pending', 'failed'],
      description: 'Orders with a webhook message still pending, or given up',
    },
    payment_method_id: text(100),
    created_from: { ...day, description: 'First day (UTC), inclusive' },
    created_to: { ...day, description: 'Last day (UTC), inclusive' },
    reference: { ...text(65), description: 'Exact, without regard to case; end with * to search by the start' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: text(200),
  },
} as const;

/** Orders: saved before the customer pays, listed, shown with every track, canceled. */
export async function orderRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const idem = idempotencyHooks();

  app.post<{ Body: CreateOrderInput }>(
    '/v1/orders',
    {
      schema: apiSchema({
        tags: ['orders'],
        summary: 'Save an order as pending payment before the customer goes to pay',
        description:
          'The same reference (without regard to case) with the same content returns the existing order (200); with other content it is 409.',
        body: createOrderBody,
        response: { 200: createdOrderSchema, 201: createdOrderSchema },
      }),
      ...idempotent(store, idem),
    },
    async (req, reply) => {
      const r = await createOrder(req.deps, req.body, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      const { order, orderKey, created } = r.value;
      const attempts = created ? [] : await paymentsOf(req.deps, order.id);
      return reply.code(created ? 201 : 200).send(createdOrderView(order, attempts, orderKey));
    },
  );

  app.get<{ Querystring: OrderFilters & { limit: number; cursor?: string } }>(
    '/v1/orders',
    {
      schema: apiSchema({
        tags: ['orders'],
        summary:
          'List orders, newest first (keyset pagination), filtered by any status track, payment method, day and reference',
        querystring: listOrdersQuery,
        response: { 200: orderListSchema },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await listOrdersWithPayments(req.deps, req.query);
      if (!r.ok) return sendFailure(reply, r.error);
      return orderListView(r.value.orders, r.value.attempts, r.value.nextCursor);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/orders/:id',
    {
      schema: apiSchema({
        tags: ['orders'],
        summary: 'One order with every track: payments, refunds, chargebacks, fiscal receipts and webhook sync',
        params: idParams('id'),
        response: { 200: orderDetailSchema },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await getOrderDetail(req.deps, req.params.id);
      if (!r.ok) return sendFailure(reply, r.error);
      return orderDetailView(r.value.order, r.value.attempts, r.value.detail);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/orders/:id/timeline',
    {
      schema: apiSchema({
        tags: ['orders'],
        summary: "The order's timeline, oldest first",
        params: idParams('id'),
        response: { 200: timelineSchema },
      }),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await getTimeline(req.deps, req.params.id);
      if (!r.ok) return sendFailure(reply, r.error);
      return { data: r.value.events.map((e) => eventView(e, r.value.order.currency)) };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/orders/:id/cancel',
    {
      schema: apiSchema(
        {
          tags: ['orders'],
          summary: 'Cancel an unpaid order and its open payments at the acquirer',
          description:
            'The order becomes canceled only when the acquirer confirmed every cancel. A refusal (502) or no answer (503) leaves the order as it was, with an open task. A paid order is 409: it needs a refund.',
          params: idParams('id'),
          body: reasonBody('reason'),
          response: { 200: orderSchema },
        },
        [...API_ERRORS, 502],
      ),
      preHandler: store,
    },
    async (req, reply) => {
      const r = await cancelOrder(req.deps, { orderId: req.params.id, reason: req.body.reason }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return orderView(r.value, await paymentsOf(req.deps, r.value.id));
    },
  );
}
