// The sandbox's confirmation page (confirmation_url, /pay/{id}): Pay takes the money (or holds
// it, capture: false), Decline cancels the payment as a bank decline; either notifies, then the
// browser goes back to return_url.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDecimal } from '../../domain/money.js';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import type { SandboxPayment, ShopBook } from './sandbox-book.js';

export interface PageActions {
  book: ShopBook;
  settle(p: SandboxPayment, outcome: 'pay' | 'decline'): Promise<void>;
}

const WHO = 'YooKassa';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/pay/:id', async (req, reply) => {
    const p = sb.book.payment((req.params as Record<string, string>).id ?? '');
    if (!p) return page(reply, 404, 'Unknown payment', 'This payment page does not exist.');
    if (p.status !== 'pending') return page(reply, 409, 'Payment closed', `This payment is ${p.status}.`);
    return reply.code(200).type('text/html; charset=utf-8').send(paymentPage(p));
  });
  const settle = (outcome: 'pay' | 'decline') => async (req: { params: unknown }, reply: FastifyReply) => {
    const p = sb.book.payment((req.params as Record<string, string>).id ?? '');
    if (!p) return page(reply, 404, 'Unknown payment', 'There is no such payment.');
    if (p.status !== 'pending') return page(reply, 409, 'Payment closed', `This payment is ${p.status}.`);
    await sb.settle(p, outcome);
    return reply.code(303).header('location', p.returnUrl).send();
  };
  app.post('/pay/:id/pay', settle('pay'));
  app.post('/pay/:id/decline', settle('decline'));
}

function page(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(p: SandboxPayment): string {
  const id = encodeURIComponent(p.id);
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(formatDecimal(p.amount, p.currency))} ${escapeHtml(p.currency)}</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(p.description)}</dd>
</dl>
<form method="post" action="${id}/pay"><button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="${id}/decline"><button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
