// The sandbox's invoice page (Model.Url, /pay/{id}): Pay and Decline first ask the site's check
// and stop when it refuses; then the pay or fail notice goes out. CloudPayments shows its own
// result page: the customer is not sent back anywhere.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDecimal } from '../../domain/money.js';
import { escapeHtml, sandboxPage, sendPage } from '../kit/sandbox/page.js';
import type { SandboxInvoice, SiteBook } from './sandbox-book.js';

export interface PageActions {
  book: SiteBook;
  /** Runs the check, then pays or declines; answers whether the check let it go ahead. */
  settle(i: SandboxInvoice, outcome: 'pay' | 'decline'): Promise<boolean>;
}

const WHO = 'CloudPayments';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.get('/pay/:id', async (req, reply) => {
    const i = sb.book.invoice((req.params as Record<string, string>).id ?? '');
    if (!i) return sendPage(reply, WHO, 404, 'Unknown invoice', 'This invoice does not exist.');
    if (i.status !== 'open') return sendPage(reply, WHO, 409, 'Invoice closed', `This invoice is ${i.status}.`);
    return reply.code(200).type('text/html; charset=utf-8').send(invoicePage(i));
  });
  const settle = (outcome: 'pay' | 'decline') => async (req: { params: unknown }, reply: FastifyReply) => {
    const i = sb.book.invoice((req.params as Record<string, string>).id ?? '');
    if (!i) return sendPage(reply, WHO, 404, 'Unknown invoice', 'There is no such invoice.');
    if (i.status !== 'open') return sendPage(reply, WHO, 409, 'Invoice closed', `This invoice is ${i.status}.`);
    const allowed = await sb.settle(i, outcome);
    if (!allowed) return sendPage(reply, WHO, 200, 'Payment refused', 'The shop did not accept this payment.');
    return sendPage(
      reply,
      WHO,
      200,
      outcome === 'pay' ? 'Paid' : 'Declined',
      outcome === 'pay' ? 'Thank you.' : 'The card was declined.',
    );
  };
  app.post('/pay/:id/pay', settle('pay'));
  app.post('/pay/:id/decline', settle('decline'));
}

function invoicePage(i: SandboxInvoice): string {
  const id = encodeURIComponent(i.id);
  return sandboxPage(
    WHO,
    'Invoice',
    `<dl>
<dt>Invoice</dt><dd data-testid="order-id">${escapeHtml(i.invoiceId)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(formatDecimal(i.amount, i.currency))} ${escapeHtml(i.currency)}</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(i.description)}</dd>
</dl>
<form method="post" action="${id}/pay"><button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="${id}/decline"><button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
