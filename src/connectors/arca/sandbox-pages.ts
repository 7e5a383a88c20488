// The sandbox gateway's payment page at formUrl (…/payment/merchants/<merchant>/payment_<lang>.html
// ?mdOrder=…): Pay and Decline settle the order, send its callbacks, then send the browser to
// returnUrl?orderId=<mdOrder>&lang=… (failUrl on a decline), as BPC documents.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { currencyFromNumeric } from '../../domain/currency.js';
import { formatDecimal } from '../../domain/money.js';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import type { MerchantBook, SandboxOrder } from './sandbox-book.js';

export interface PageActions {
  book: MerchantBook;
  /** Pays or declines the order and sends its callbacks; resolves after the first try. */
  settle(order: SandboxOrder, outcome: 'pay' | 'decline'): Promise<void>;
}

const WHO = 'ArCa gateway';
const PAGE = /^payment_([a-z]{2})\.html$/;

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/payment/merchants/:merchant/:page', async (req, reply) => {
    const { merchant, page } = req.params as Record<string, string>;
    const mdOrder = (req.query as Record<string, unknown>).mdOrder;
    const order = typeof mdOrder === 'string' ? sb.book.order(mdOrder) : undefined;
    if (!PAGE.test(page ?? '') || !order || order.username !== merchant)
      return sendPage(reply, 404, 'Unknown order', 'This payment page does not exist.');
    return closedPage(reply, order) ?? reply.code(200).type('text/html; charset=utf-8').send(paymentPage(order));
  });

  const settleRoute =
    (outcome: 'pay' | 'decline') => async (req: { params: unknown; body: unknown }, reply: FastifyReply) => {
      const { merchant } = req.params as Record<string, string>;
      const form = (req.body ?? {}) as Record<string, unknown>;
      const order = typeof form.mdOrder === 'string' ? sb.book.order(form.mdOrder) : undefined;
      if (!order || order.username !== merchant)
        return sendPage(reply, 404, 'Unknown order', 'There is no such order.');
      const closed = closedPage(reply, order);
      if (closed) return closed;
      await sb.settle(order, outcome);
      const back = outcome === 'decline' ? (order.failUrl ?? order.returnUrl) : order.returnUrl;
      const query = new URLSearchParams({ orderId: order.mdOrder, lang: order.language }).toString();
      return reply
        .code(303)
        .header('location', `${back}${back.includes('?') ? '&' : '?'}${query}`)
        .send();
    };
  // Relative to the page's URL, so the forms work under any mount prefix.
  app.post('/payment/merchants/:merchant/pay', settleRoute('pay'));
  app.post('/payment/merchants/:merchant/decline', settleRoute('decline'));
}

/** The page for an order that can no longer be paid, if it cannot. */
function closedPage(reply: FastifyReply, o: SandboxOrder): FastifyReply | undefined {
  if (o.orderStatus === 0) return undefined;
  const said: Record<number, string> = {
    1: 'is paid (the money is held)',
    2: 'is already paid',
    3: 'was canceled',
    4: 'is paid and refunded',
    6: 'was declined; the shop starts a new payment to try again',
  };
  return sendPage(reply, 409, 'Order closed', `Order ${o.orderNumber} ${said[o.orderStatus] ?? 'is closed'}.`);
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(o: SandboxOrder): string {
  const currency = currencyFromNumeric(o.currency);
  const amount = currency ? `${formatDecimal(o.amount, currency)} ${currency}` : `${o.amount} (${o.currency})`;
  const hidden = `<input type="hidden" name="mdOrder" value="${escapeHtml(o.mdOrder)}">`;
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Order</dt><dd data-testid="order-id">${escapeHtml(o.orderNumber)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(amount)}</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(o.description)}</dd>
</dl>
<form method="post" action="pay">${hidden}<button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="decline">${hidden}<button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
