// The sandbox's payment page: the link the connector built opens it, and its Pay and Decline
// buttons settle the order (status, webhook), then send the browser back to the shop.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import type { SandboxOrder, Shop, ShopBook } from './sandbox-book.js';

export interface PageActions {
  book: ShopBook;
  /** Sets the status and sends its webhook; resolves after the first try. */
  settle(shop: Shop, order: SandboxOrder, status: string): Promise<unknown>;
  declineCode(orderId: string): string;
}

const WHO = 'acquirer';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/p/:shopId/:orderId/:amount/:hash', async (req, reply) => {
    const p = req.params as Record<string, string>;
    const checked = sb.book.checkLink(p);
    if (typeof checked === 'string') return sendPage(reply, 400, 'Payment link refused', checked);
    const existing = sb.book.order(checked.shop.shopId, p.orderId!);
    const closed = existing && closedPage(reply, existing);
    if (closed) return closed;
    const order = sb.book.open(checked.shop, p.orderId!, p.amount!);
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .send(paymentPage(order, checked.shop.currency, p.hash!));
  });

  const settleRoute = (outcome: 'pay' | 'decline') => async (req: { params: unknown }, reply: FastifyReply) => {
    const p = req.params as Record<string, string>;
    const checked = sb.book.checkLink(p);
    if (typeof checked === 'string') return sendPage(reply, 400, 'Payment refused', checked);
    const order = sb.book.order(checked.shop.shopId, p.orderId!);
    if (!order) return sendPage(reply, 409, 'Unknown order', 'Open the payment page first.');
    const closed = closedPage(reply, order);
    if (closed) return closed;
    const status = outcome === 'pay' ? 'executed' : `error#${sb.declineCode(order.orderId)}`;
    await sb.settle(checked.shop, order, status);
    const back = checked.shop.returnUrl;
    if (back)
      return reply
        .code(303)
        .header('location', back.split('[OrderID]').join(encodeURIComponent(order.orderId)))
        .send();
    const done =
      outcome === 'pay' ? `Order ${order.orderId} is paid.` : `Order ${order.orderId} was declined (${status}).`;
    return sendPage(reply, 200, 'Done', done);
  };
  // Relative to the page's URL, so the forms work under any mount prefix.
  app.post('/p/:shopId/:orderId/:amount/:hash/pay', settleRoute('pay'));
  app.post('/p/:shopId/:orderId/:amount/:hash/decline', settleRoute('decline'));
}

/** The page for an order that can no longer be paid, if it cannot. */
function closedPage(reply: FastifyReply, order: SandboxOrder): FastifyReply | undefined {
  if (order.status === 'executed')
    return sendPage(reply, 409, 'Already paid', `Order ${order.orderId} is already paid.`);
  if (order.status === 'canceled')
    return sendPage(reply, 409, 'Order canceled', `Order ${order.orderId} was canceled by the shop.`);
  return undefined;
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(order: SandboxOrder, currency: string, hash: string): string {
  // The forms post relative to this page's URL (…/[Amount]/[Hash]), so a mount prefix is kept.
  const action = (what: string) => escapeHtml(`${encodeURIComponent(hash)}/${what}`);
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Shop</dt><dd data-testid="shop-id">${escapeHtml(order.shopId)}</dd>
<dt>Order</dt><dd data-testid="order-id">${escapeHtml(order.orderId)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(order.amount)} ${escapeHtml(currency)}</dd>
</dl>
<form method="post" action="${action('pay')}"><button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="${action('decline')}"><button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
