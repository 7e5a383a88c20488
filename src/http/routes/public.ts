import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { findAttemptForReturn, findOrderByKey, returnPage } from '../../app/queries.js';
import { publicOrderView } from '../../app/views.js';
import { formatDecimal } from '../../domain/money.js';
import type { Order, PaymentAttempt } from '../../domain/order.js';
import { errorSchema, sendFailure } from '../errors.js';
import { html, page } from '../html.js';
import { idParams, publicOrderSchema } from '../schemas.js';

/** Routes a customer reaches without an API key: they show, they never change anything. */
export async function publicRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get<{ Params: { orderKey: string } }>(
    '/v1/public/orders/:orderKey',
    {
      schema: {
        tags: ['public'],
        summary: 'What a customer may see of one order, by its order key',
        params: idParams('orderKey'),
        response: { 200: publicOrderSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const r = await findOrderByKey(deps, req.params.orderKey);
      if (!r.ok) return sendFailure(reply, r.error);
      return publicOrderView(r.value.order, r.value.attempts);
    },
  );

  // The customer lands here from the payment page. It shows the order's status as Settle knows
  // it from verified callbacks; nothing in this request (query, referrer) is trusted or applied.
  app.get<{ Params: { paymentId: string } }>(
    '/return/:paymentId',
    { schema: { tags: ['public'], summary: 'Return page after the payment page (shows status, changes nothing)', params: idParams('paymentId') } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const r = await returnPage(deps, req.params.paymentId);
      if (!r.ok) return reply.code(404).type('text/html; charset=utf-8').send(page('Payment not found', html`<h1>Payment not found</h1><p>We could not find this payment.</p>`));
      const { order, attempt } = r.value;
      const pending = order.paymentStatus !== 'paid' && ['created', 'pending', 'authorized'].includes(attempt.status);
      return reply.type('text/html; charset=utf-8').send(page(`Order ${order.reference}`, returnBody(order, attempt), pending ? { refreshSeconds: 3 } : {}));
    },
  );

  // An acquirer's merchant-cabinet return address can only name its own order id: find the
  // attempt and send the customer to the page above.
  app.get<{ Params: { paymentMethodId: string; providerRef: string } }>(
    '/return/m/:paymentMethodId/:providerRef',
    {
      schema: {
        tags: ['public'],
        summary: "Return address in the provider's terms (payment method and the provider's order id)",
        params: { type: 'object', properties: { ...idParams('paymentMethodId').properties, ...idParams('providerRef').properties } },
      },
    },
    async (req, reply) => {
      const attempt = await findAttemptForReturn(deps, req.params.paymentMethodId, req.params.providerRef);
      if (!attempt) return reply.code(404).type('text/html; charset=utf-8').send(page('Payment not found', html`<h1>Payment not found</h1>`));
      return reply.redirect(`/return/${encodeURIComponent(attempt.id)}`, 303);
    },
  );
}

function returnBody(order: Order, attempt: PaymentAttempt) {
  const amount = `${formatDecimal(attempt.amount, attempt.currency)} ${attempt.currency}`;
  let headline;
  if (order.paymentStatus === 'paid') {
    headline = html`<p class="status paid" data-testid="payment-status">Paid</p><p>Thank you: your payment of ${amount} for order ${order.reference} was received.</p>`;
  } else if (['created', 'pending', 'authorized'].includes(attempt.status)) {
    headline = html`<p class="status" data-testid="payment-status">Waiting for confirmation</p><p>We have not yet received the payment provider's confirmation of ${amount}. This page refreshes by itself; you do not need to pay again.</p>`;
  } else {
    headline = html`<p class="status failed" data-testid="payment-status">Not paid</p><p>The payment of ${amount} did not go through (${attempt.status}). No money was taken for it.</p>`;
  }
  const back = order.returnUrl ? html`<p><a class="button" href="${order.returnUrl}">Back to the shop</a></p>` : '';
  return html`<h1>Order ${order.reference}</h1>${headline}<p><small>Order status: ${order.status.replace('_', ' ')}</small></p>${back}`;
}
