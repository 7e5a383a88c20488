// The sandbox's payment page: the merchant's form is posted to /Payment/GetPayment, the page
// shows the bill, and its Pay and Decline buttons settle it (pre-check, confirmation), then send
// the browser to the merchant's SUCCESS_URL or FAIL_URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml, sandboxPage, sendPage as kitPage } from '../kit/sandbox/page.js';
import type { Merchant, PageOutcome, SandboxBill } from './sandbox-book.js';

export interface PageActions {
  open(fields: Record<string, unknown>): { merchant: Merchant; bill: SandboxBill } | string;
  bill(recAccount: string, billNo: string): SandboxBill | undefined;
  pay(recAccount: string, billNo: string): Promise<PageOutcome>;
  decline(recAccount: string, billNo: string): PageOutcome;
}

const WHO = 'Idram';

export function pageRoutes(app: FastifyInstance, sb: PageActions): void {
  app.post('/Payment/GetPayment', async (req, reply) => {
    const opened = sb.open(formOf(req));
    if (typeof opened === 'string') return sendPage(reply, 400, 'Payment refused', opened);
    return reply.code(200).type('text/html; charset=utf-8').send(paymentPage(opened.merchant, opened.bill));
  });

  const settle = (outcome: 'pay' | 'decline') => async (req: FastifyRequest, reply: FastifyReply) => {
    const f = formOf(req);
    const rec = typeof f.EDP_REC_ACCOUNT === 'string' ? f.EDP_REC_ACCOUNT : '';
    const billNo = typeof f.EDP_BILL_NO === 'string' ? f.EDP_BILL_NO : '';
    const bill = sb.bill(rec, billNo);
    if (!bill) return sendPage(reply, 409, 'Unknown bill', 'Post the payment form first.');
    if (bill.status !== 'open') return sendPage(reply, 409, 'Bill closed', `Bill ${bill.billNo} is ${bill.status}.`);
    const done = outcome === 'pay' ? await sb.pay(rec, billNo) : sb.decline(rec, billNo);
    return reply.code(303).header('location', done.redirect).send();
  };
  // Relative to the page's URL (…/Payment/GetPayment), so a mount prefix is kept.
  app.post('/Payment/GetPayment/pay', settle('pay'));
  app.post('/Payment/GetPayment/decline', settle('decline'));
}

function formOf(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return kitPage(reply, WHO, code, title, message);
}

function paymentPage(merchant: Merchant, bill: SandboxBill): string {
  const hidden = [
    `<input type="hidden" name="EDP_REC_ACCOUNT" value="${escapeHtml(merchant.recAccount)}">`,
    `<input type="hidden" name="EDP_BILL_NO" value="${escapeHtml(bill.billNo)}">`,
  ].join('');
  const button = (what: string, label: string) =>
    `<form method="post" action="GetPayment/${what}">${hidden}<button type="submit" data-testid="${what}-button">${label}</button></form>`;
  return sandboxPage(
    WHO,
    'Payment',
    `<dl>
<dt>Merchant</dt><dd data-testid="rec-account">${escapeHtml(merchant.recAccount)}</dd>
<dt>Bill</dt><dd data-testid="bill-no">${escapeHtml(bill.billNo)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(bill.amount)} AMD</dd>
<dt>Description</dt><dd data-testid="description">${escapeHtml(bill.description)}</dd>
</dl>
${button('pay', 'Pay')}
${button('decline', 'Decline')}`,
  );
}
