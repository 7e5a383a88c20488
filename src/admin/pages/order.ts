import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { getOrderDetail } from '../../app/order-detail.js';
import { getTimeline } from '../../app/queries.js';
import { render, who } from '../render.js';
import { orderActions, orderNotFound } from './order-actions.js';
import { noticeText, plausibleId } from './order-input.js';
import { orderBody } from './order-view.js';

/** One order for support and accounting: every track and record, its timeline, and the actions the role may take. */
export async function orderPages(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/orders/:id',
    { config: { permission: 'orders.read' } },
    async (req, reply) => {
      const found = plausibleId(req.params.id) ? await getOrderDetail(deps, req.params.id) : undefined;
      if (!found?.ok) return orderNotFound(deps, req, reply);
      const { order, attempts, detail } = found.value;
      const [timeline, tasks, methods] = await Promise.all([
        getTimeline(deps, order.id),
        deps.storage.read.listTasks({ orderId: order.id }),
        deps.storage.read.listPaymentMethods(),
      ]);
      const events = timeline.ok ? timeline.value.events : [];
      const body = orderBody(who(req), { order, attempts, detail, events, tasks, methods });
      return render(deps, req, reply, {
        title: `Order ${order.reference}`,
        body,
        notice: noticeText(req.query.notice),
      });
    },
  );

  await orderActions(app, deps);
}
