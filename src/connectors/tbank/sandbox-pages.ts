// The sandbox's payment page at PaymentURL (/pay/{PaymentId}): Pay confirms the payment, Decline
// rejects it; either sends the notification, then the browser goes to SuccessURL or FailURL.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDecimal } from '../../domain/money.js';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import { PAYABLE, type SandboxPayment, type TerminalBook } from './sandbox-book.js';

export interface PageActions {
  book: TerminalBook;
  /** Pays or declines and sends the notification; resolves after its first try. */
  settle(p: SandboxPayment, outcome: 'pay' | 'decline'): Promise<void>;
}

const WHO = 'T-Bank';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/pay/:paymentId', async (req, reply) => {
    const p = sb.book.payment((req.params as Record<string, string>).paymentId);
    if (!p) return sendPage(reply, 404, 'Unknown payment', 'This payment page does not exist.');
    if (!PAYABLE.has(p.status)) return closed(reply, p);
    p.status = 'FORM_SHOWED';
    return reply.code(200).type('text/html; charset=utf-8').send(paymentPage(p));
  });
  const settle = (outcome: 'pay' | 'decline') => async (req: { params: unknown }, reply: FastifyReply) => {
    const p = sb.book.payment((req.params as Record<string, string>).paymentId);
    if (!p) return sendPage(reply, 404, 'Unknown payment', 'There is no such payment.');
    if (!PAYABLE.has(p.status)) return closed(reply, p);
    await sb.settle(p, outcome);
    const back = outcome === 'pay' ? p.successUrl : p.failUrl;
    if (!back) return sendPage(reply, 200, 'Done', outcome === 'pay' ? 'Paid.' : 'Declined.');
    return reply.code(303).header('location', back).send();
  };
  // Relative to the page's URL, so the forms work under any mount prefix.
  app.post('/pay/:paymentId/pay', settle('pay'));
  app.post('/pay/:paymentId/decline', settle('decline'));
}

function closed(reply: FastifyReply, p: SandboxPayment): FastifyReply {
  return sendPage(reply, 409, 'Payment closed', `Order ${p.orderId} is ${p.status.toLowerCase()}.`);
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(p: SandboxPayment): string {
  const id = encodeURIComponent(p.paymentId);
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Order</dt><dd data-testid="order-id">${escapeHtml(p.orderId)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(formatDecimal(p.amount, 'RUB'))} RUB</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(p.description)}</dd>
</dl>
<form method="post" action="${id}/pay"><button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="${id}/decline"><button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
