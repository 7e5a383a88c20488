import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { orderPage } from '../../app/queries/admin-orders.js';
import { render, who } from '../render.js';
import { orderNotFound } from './order-action-kit.js';
import { orderActions } from './order-actions.js';
import { noticeText, plausibleId } from './order-input.js';
import { orderBody } from './order-view.js';

/** One order for support and accounting: every track and record, its timeline, and the actions the role may take. */
export async function orderPages(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>(
    '/orders/:id',
    { config: { permission: 'orders.read' } },
    async (req, reply) => {
      const found = plausibleId(req.params.id) ? await orderPage(req.deps, req.params.id) : undefined;
      if (!found) return orderNotFound(req.deps, req, reply);
      const body = orderBody(who(req), found);
      return render(req.deps, req, reply, {
        title: `Order ${found.order.reference}`,
        body,
        notice: noticeText(req.query.notice),
      });
    },
  );

  await orderActions(app, deps);
}
