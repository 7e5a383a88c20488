// The sandbox's payment page, /Payments/Pay?id={PaymentID}&lang={am|ru|en}: its Pay and Decline
// buttons settle the payment, then send the browser to BackURL with orderID, resposneCode,
// paymentID and opaque (nothing signed, exactly as the bank does). No callback goes anywhere.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDecimal } from '../../domain/money.js';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import type { SandboxPayment, VposBook } from './sandbox-book.js';

export interface PageActions {
  book: VposBook;
  /** The ResponseCode a declined card gets for this payment. */
  declineCode(p: SandboxPayment): string;
}

const WHO = 'Ameriabank vPOS';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/Payments/Pay', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const p = typeof q.id === 'string' ? sb.book.payment(q.id) : undefined;
    if (!p) return sendPage(reply, 404, 'Payment not found', 'There is no payment with this id.');
    const closed = closedPage(reply, p);
    if (closed) return closed;
    p.attempted = true;
    const lang = typeof q.lang === 'string' ? q.lang : 'am';
    return reply.code(200).type('text/html; charset=utf-8').send(paymentPage(p, lang));
  });

  const settle = (outcome: 'pay' | 'decline') => async (req: FastifyRequest, reply: FastifyReply) => {
    // The page's form sends the id as a hidden field; the query is read too, for a hand-made request.
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const id = form.id ?? (req.query as Record<string, unknown>).id;
    const p = typeof id === 'string' ? sb.book.payment(id) : undefined;
    if (!p) return sendPage(reply, 404, 'Payment not found', 'There is no payment with this id.');
    const closed = closedPage(reply, p);
    if (closed) return closed;
    p.attempted = true;
    if (outcome === 'pay') sb.book.pay(p);
    else sb.book.decline(p, sb.declineCode(p));
    const back = sb.book.backUrl(p);
    if (back) return reply.code(303).header('location', back).send();
    const done =
      outcome === 'pay'
        ? `Payment ${p.orderId} is ${p.orderStatus === 1 ? 'approved (held)' : 'paid'}.`
        : `Payment ${p.orderId} was declined (${p.responseCode}).`;
    return sendPage(reply, 200, 'Done', done);
  };
  // Relative to the page (/Payments/Pay → /Payments/Pay/pay), so the forms work under any prefix.
  app.post('/Payments/Pay/pay', settle('pay'));
  app.post('/Payments/Pay/decline', settle('decline'));
}

/** The page for a payment that can no longer be paid, if it cannot. */
function closedPage(reply: FastifyReply, p: SandboxPayment): FastifyReply | undefined {
  if (p.orderStatus === 0) return undefined;
  const why =
    p.orderStatus === 6 && p.responseCode === '0-2007'
      ? 'The time for entering the card data is over.'
      : `This payment is no longer open (OrderStatus ${p.orderStatus}).`;
  return sendPage(reply, 409, 'Payment closed', why);
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(p: SandboxPayment, lang: string): string {
  const id = `<input type="hidden" name="id" value="${escapeHtml(p.paymentId)}">`;
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Order</dt><dd data-testid="order-id">${escapeHtml(String(p.orderId))}</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(p.description)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(formatDecimal(p.amount, p.currency))} ${escapeHtml(p.currency)}</dd>
<dt>Language</dt><dd data-testid="lang">${escapeHtml(lang.slice(0, 8))}</dd>
</dl>
<form method="post" action="Pay/pay">${id}<button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="Pay/decline">${id}<button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
