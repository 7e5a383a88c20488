import { sendNextStep } from '../web/next-step.js';
import type { DemoMethod } from './setup-demo.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createOrder } from '../app/create-order.js';
import type { AppDeps } from '../app/deps.js';
import { getOrder, getTimeline, listOrders } from '../app/queries/index.js';
import { startPayment } from '../app/start-payment.js';
import { formatDecimal } from '../domain/money.js';
import type { OrderLine } from '../domain/order.js';
import { PAYMENT_STATUS_LABELS } from '../domain/order-status.js';
import { en } from '../web/i18n/messages-en.js';
import { html, page } from '../web/html.js';

// Priced in drams, and in roubles for the methods that take only roubles (T-Bank).
const CATALOGUE: (Omit<OrderLine, 'unit_amount'> & { prices: Record<string, number> })[] = [
  { sku: 'JAM-350', name: 'Apricot jam, 350 g', quantity: 1, prices: { AMD: 250000, RUB: 55000 } },
  { sku: 'LAVASH-5', name: 'Lavash, 5 sheets', quantity: 1, prices: { AMD: 80000, RUB: 18000 } },
  { sku: 'COFFEE-250', name: 'Armenian coffee, 250 g', quantity: 1, prices: { AMD: 420000, RUB: 92000 } },
];
const money = (n: number, currency: string) => `${formatDecimal(n, currency)} ${currency}`;

/**
 * A tiny shop that uses Settle as a store would (through the same use cases as the API): place an
 * order, go to the sandbox's payment page, come back, see the order and its timeline.
 */
export function demoShop(deps: AppDeps, methods: readonly Pick<DemoMethod, 'paymentMethodId' | 'name' | 'currency'>[]) {
  const methodOf = (id: string | undefined) => methods.find((m) => m.paymentMethodId === id) ?? methods[0]!;
  return async (app: FastifyInstance) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    app.get('/', async (_req, reply) => {
      const recent = await listOrders(deps, { limit: 10 });
      const rows = recent.ok ? recent.value.orders : [];
      const body = html`<h1>Settle demo shop</h1>
        <p>Place an order, then pay or decline it on the payment page of the provider's sandbox you choose.</p>
        <form method="post" action="/demo/checkout">
          <table>
            <tr>
              <th>Item</th>
              <th>Price</th>
              <th>Quantity</th>
            </tr>
            ${CATALOGUE.map(
              (p) =>
                html`<tr>
                  <td>${p.name}</td>
                  <td>${Object.entries(p.prices)
                    .map(([c, n]) => money(n, c))
                    .join(' · ')}</td>
                  <td>
                    <input
                      name="qty_${p.sku}"
                      type="number"
                      min="0"
                      max="9"
                      value="1"
                      aria-label="Quantity of ${p.name}"
                    />
                  </td>
                </tr>`,
            )}
          </table>
          <p>
            <label>E-mail (optional) <input name="email" type="email" maxlength="254" /></label>
          </p>
          <fieldset>
            <legend>Pay with</legend>
            ${methods.map(
              (m, i) =>
                html`<label
                  ><input
                    type="radio"
                    name="method"
                    value="${m.paymentMethodId}"
                    ${i === 0 ? html`checked` : ''}
                    data-testid="method-${m.paymentMethodId}"
                  />
                  ${m.name}</label
                ><br />`,
            )}
          </fieldset>
          <p><button type="submit" data-testid="place-order">Place order and pay</button></p>
        </form>
        <h2>Recent orders</h2>
        ${
          rows.length === 0
            ? html`<p data-testid="no-orders">No orders yet: place one above.</p>`
            : html`<table data-testid="recent-orders">
                <tr>
                  <th>Order</th>
                  <th>Amount</th>
                  <th>State</th>
                  <th>Payment</th>
                </tr>
                ${rows.map(
                  (o) =>
                    html`<tr>
                      <td><a href="/demo/orders/${o.id}">${o.reference}</a></td>
                      <td>${money(o.amount, o.currency)}</td>
                      <td>${en.orderStates[o.status]}</td>
                      <td>${PAYMENT_STATUS_LABELS[o.paymentStatus]}</td>
                    </tr>`,
                )}
              </table>`
        }
        <p>
          <small>API: <a href="/openapi.json">/openapi.json</a></small>
        </p>`;
      return reply.type('text/html; charset=utf-8').send(page('Settle demo shop', body));
    });

    app.post<{ Body: Record<string, string> }>('/checkout', async (req, reply) => {
      const form = req.body ?? {};
      const method = methodOf(form.method);
      const currency = method.currency;
      const lines = CATALOGUE.map(({ prices, ...p }) => ({
        ...p,
        unit_amount: prices[currency] ?? prices.AMD!,
        quantity: Math.min(9, Math.max(0, Number.parseInt(form[`qty_${p.sku}`] ?? '0', 10) || 0)),
      })).filter((l) => l.quantity > 0);
      if (lines.length === 0)
        return reply
          .code(400)
          .type('text/html; charset=utf-8')
          .send(
            page(
              'Your cart is empty',
              html`<h1>Your cart is empty</h1>
                <p data-testid="empty-cart">Choose at least one item (a quantity of 1 or more) before you pay.</p>
                <p><a class="button" href="/demo">Back to the shop</a></p>`,
            ),
          );
      const email = form.email && /^[^\s@]+@[^\s@]+$/.test(form.email) ? form.email : undefined;
      const reference = `DEMO-${deps.random
        .token(16)
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 8)
        .toUpperCase()}`;
      const returnUrl = `${deps.publicUrl}/demo/r/${reference}`;
      const created = await createOrder(
        deps,
        { reference, currency, lines, customer: email ? { email } : {}, return_url: returnUrl },
        'customer',
      );
      if (!created.ok)
        return reply
          .code(422)
          .type('text/html; charset=utf-8')
          .send(page('Order refused', html`<p>${created.error.message}</p>`));
      return pay(reply, created.value.order.id, method.paymentMethodId);
    });

    // The order's return_url: the shop finds its order by its own reference.
    app.get<{ Params: { reference: string } }>('/r/:reference', async (req, reply) => {
      const found = await listOrders(deps, { reference: req.params.reference, limit: 1 });
      const order = found.ok ? found.value.orders[0] : undefined;
      return order ? reply.redirect(`/demo/orders/${order.id}`, 303) : reply.redirect('/demo', 303);
    });

    app.post<{ Params: { id: string }; Body: Record<string, string> }>('/orders/:id/pay', async (req, reply) =>
      pay(reply, req.params.id, methodOf(req.body?.method).paymentMethodId),
    );

    app.get<{ Params: { id: string } }>('/orders/:id', async (req, reply) => {
      const r = await getOrder(deps, req.params.id);
      const t = await getTimeline(deps, req.params.id);
      if (!r.ok || !t.ok)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(page('Not found', html`<p>No such order.</p>`));
      const { order } = r.value;
      const retry = order.status === 'payment_failed' || order.status === 'pending_payment';
      const body = html`<h1>Order ${order.reference}</h1>
        <p>
          <span class="status" data-testid="order-status">${en.orderStates[order.status]}</span> · payment
          <span class="status" data-testid="payment-status">${PAYMENT_STATUS_LABELS[order.paymentStatus]}</span> ·
          ${money(order.amount, order.currency)}
        </p>
        ${
          retry
            ? html`<form method="post" action="/demo/orders/${order.id}/pay">
              <select name="method" aria-label="Pay with">
                ${methods.map((m) => html`<option value="${m.paymentMethodId}">${m.name}</option>`)}
              </select>
              <button type="submit">Pay (new attempt)</button>
            </form>`
            : ''
        }
        <h2>Timeline</h2>
        <table data-testid="timeline">
          ${t.value.events.map(
            (e) =>
              html`<tr>
                <td><small>${e.at.replace('T', ' ').slice(0, 19)}</small></td>
                <td>${e.actor}</td>
                <td>${e.summary}</td>
              </tr>`,
          )}
        </table>
        <p><a href="/demo">Back to the shop</a></p>`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(`Order ${order.reference}`, body));
    });

    async function pay(reply: FastifyReply, orderId: string, paymentMethodId: string) {
      const attempt = await startPayment(deps, { orderId, paymentMethodId }, 'customer');
      if (!attempt.ok || !attempt.value.nextStep) {
        const message = attempt.ok ? 'The payment could not be started.' : attempt.error.message;
        return reply
          .code(409)
          .type('text/html; charset=utf-8')
          .send(
            page(
              'Payment not started',
              html`<p>${message}</p>
                <p><a href="/demo/orders/${orderId}">Order</a></p>`,
            ),
          );
      }
      return sendNextStep(reply, attempt.value.nextStep);
    }
  };
}
