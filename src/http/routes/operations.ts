import type { FastifyInstance } from 'fastify';
import { cancelOrder } from '../../app/cancel-order.js';
import { checkPayment } from '../../app/check-payment.js';
import type { AppDeps } from '../../app/deps.js';
import { assignTask, listTasks, resolveTask } from '../../app/tasks.js';
import { attemptView, callbackView, orderView, taskView } from '../../app/views.js';
import type { CallbackOutcome } from '../../ports/storage.js';
import { actorOf, requireScope } from '../auth.js';
import { errorSchema, sendFailure } from '../errors.js';
import {
  callbackSchema,
  idParams,
  listCallbacksQuery,
  listTasksQuery,
  orderSchema,
  paymentSchema,
  reasonBody,
  taskSchema,
} from '../schemas.js';

const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  502: errorSchema,
  503: errorSchema,
};
const security = [{ bearer: [] }];
const twoIds = { type: 'object', properties: { ...idParams('id').properties, ...idParams('paymentId').properties } };

/** Status checks, cancels, the task queue and the callback log. */
export async function operationRoutes(app: FastifyInstance, deps: AppDeps) {
  const store = requireScope(deps, 'store');
  const admin = requireScope(deps, 'admin');

  app.post<{ Params: { id: string; paymentId: string } }>(
    '/v1/orders/:id/payments/:paymentId/check',
    {
      schema: {
        tags: ['payments'],
        summary: "Ask the acquirer for the payment's status and apply the answer",
        description:
          'Applied through the same path as a callback, verified_by "status_check". An acquirer that cannot be reached is a 503 and changes nothing.',
        security,
        params: twoIds,
        response: { 200: paymentSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await checkPayment(deps, { orderId: req.params.id, paymentId: req.params.paymentId }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return attemptView(r.value.attempt);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        summary: 'Cancel an unpaid order and its open payments at the acquirer',
        description:
          'The order becomes canceled only when the acquirer confirmed every cancel. A refusal (502) or no answer (503) leaves the order as it was, with an open task. A paid order is 409: it needs a refund.',
        security,
        params: idParams('id'),
        body: reasonBody('reason'),
        response: { 200: orderSchema, ...errors },
      },
      preHandler: store,
    },
    async (req, reply) => {
      const r = await cancelOrder(deps, { orderId: req.params.id, reason: req.body.reason }, actorOf(req));
      if (!r.ok) return sendFailure(reply, r.error);
      return orderView(r.value, await deps.storage.read.listAttempts(r.value.id));
    },
  );

  app.get<{ Querystring: { status?: 'open' | 'resolved'; kind?: string; owner?: string; limit: number } }>(
    '/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'The task queue, oldest first',
        security,
        querystring: listTasksQuery,
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: taskSchema } } }, ...errors },
      },
      preHandler: admin,
    },
    async (req) => ({ data: (await listTasks(deps, req.query)).map(taskView) }),
  );

  app.post<{ Params: { id: string }; Body: { owner: string } }>(
    '/v1/tasks/:id/assign',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Give a task to a person or a role',
        security,
        params: idParams('id'),
        body: reasonBody('owner', 100),
        response: { 200: taskSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await assignTask(deps, { taskId: req.params.id, owner: req.body.owner }, actorOf(req));
      return r.ok ? taskView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/v1/tasks/:id/resolve',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Resolve a task with a note on what was done',
        security,
        params: idParams('id'),
        body: reasonBody('note', 2000),
        response: { 200: taskSchema, ...errors },
      },
      preHandler: admin,
    },
    async (req, reply) => {
      const r = await resolveTask(deps, { taskId: req.params.id, note: req.body.note }, actorOf(req));
      return r.ok ? taskView(r.value) : sendFailure(reply, r.error);
    },
  );

  app.get<{ Querystring: { payment_method_id?: string; outcome?: CallbackOutcome; limit: number } }>(
    '/v1/callbacks',
    {
      schema: {
        tags: ['callbacks'],
        summary: 'Inbound callbacks as received (secrets redacted), newest first',
        security,
        querystring: listCallbacksQuery,
        response: {
          200: { type: 'object', properties: { data: { type: 'array', items: callbackSchema } } },
          ...errors,
        },
      },
      preHandler: admin,
    },
    async (req) => ({
      data: (
        await deps.storage.read.listCallbacks({
          paymentMethodId: req.query.payment_method_id,
          outcome: req.query.outcome,
          limit: req.query.limit,
        })
      ).map(callbackView),
    }),
  );
}
