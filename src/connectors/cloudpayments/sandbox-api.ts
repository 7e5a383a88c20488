// The sandbox's API as CloudPayments answers it: JSON POSTs with HTTP Basic answered
// {Success, Message, Model}: /orders/create, /payments/find, /payments/void, /payments/refund
// (X-Request-ID makes a repeat answer as the first). Switches hold or bend answers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDecimal, parseDecimal } from '../../domain/money.js';
import type { ReportSwitches } from '../kit/sandbox/report-switches.js';
import type { SandboxInvoice, SandboxSite, SiteBook } from './sandbox-book.js';

/** The kit's switches with the money stated (amount and currency). */
export type CloudPaymentsSwitches = ReportSwitches;

export interface ApiActions {
  book: SiteBook;
  switchesFor(invoiceId: string): CloudPaymentsSwitches;
  sleep(ms: number): Promise<void>;
  pageUrl(base: string, i: SandboxInvoice): string;
  notify(i: SandboxInvoice, kind: 'refund' | 'cancel', extra?: Record<string, string>): Promise<void>;
}

const no = (message: string) => ({ Success: false, Message: message });

/** A transaction as /payments/find shows it. */
export function transactionModel(i: SandboxInvoice, sw: CloudPaymentsSwitches) {
  const currency = sw.reportCurrency ?? i.currency;
  return {
    TransactionId: i.transactionId,
    Amount: Number(formatDecimal(sw.reportAmount ?? i.amount, currency)),
    Currency: currency,
    InvoiceId: i.invoiceId,
    AccountId: i.accountId,
    Status: i.status === 'paid' ? 'Completed' : i.status === 'canceled' ? 'Cancelled' : 'Declined',
    TestMode: true,
  };
}

export function apiRoutes(app: FastifyInstance, sb: ApiActions): void {
  const base = (req: FastifyRequest) => `${req.protocol}://${req.host}${app.prefix}`;
  const route = (
    path: string,
    invoiceOf: (site: SandboxSite | undefined, b: Record<string, unknown>) => string,
    h: (site: SandboxSite, b: Record<string, unknown>, req: FastifyRequest) => unknown,
  ) =>
    app.post(path, async (req, reply) => {
      const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
      const site = sb.book.login(req.headers.authorization);
      const sw = sb.switchesFor(invoiceOf(site, b));
      if (sw.timeoutMs) await sb.sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (!site) return reply.code(401).send(no('Authentication failed'));
      return h(site, b, req);
    });
  const byTx = (site: SandboxSite | undefined, b: Record<string, unknown>) =>
    (site && sb.book.byTransaction(site.publicId, b.TransactionId)?.invoiceId) ?? '';

  route(
    '/orders/create',
    (_s, b) => String(b.InvoiceId ?? ''),
    (site, b, req) => {
      const currency = typeof b.Currency === 'string' ? b.Currency : 'RUB';
      const amount = typeof b.Amount === 'number' ? parseDecimal(String(b.Amount), currency) : undefined;
      if (!amount || amount <= 0 || typeof b.InvoiceId !== 'string') return no('Amount and InvoiceId are required');
      const i = sb.book.create({
        publicId: site.publicId,
        invoiceId: b.InvoiceId,
        accountId: typeof b.AccountId === 'string' ? b.AccountId : '',
        amount,
        currency,
        description: typeof b.Description === 'string' ? b.Description : '',
      });
      return {
        Success: true,
        Message: null,
        Model: { Id: i.id, Number: 1, Amount: b.Amount, Currency: currency, Url: sb.pageUrl(base(req), i) },
      };
    },
  );

  route(
    '/payments/find',
    (_s, b) => String(b.InvoiceId ?? ''),
    (site, b) => {
      const i = sb.book.byInvoiceId(site.publicId, String(b.InvoiceId ?? ''));
      if (!i || i.transactionId === undefined) return no('Not found');
      return { Success: true, Message: null, Model: transactionModel(i, sb.switchesFor(i.invoiceId)) };
    },
  );

  route('/payments/void', byTx, (site, b) => {
    const i = sb.book.byTransaction(site.publicId, b.TransactionId);
    if (!i) return no('Not found');
    return no(`sandbox: transaction ${String(b.TransactionId)} is ${i.status}, not a hold`);
  });

  route('/payments/refund', byTx, (site, b, req) => {
    const i = sb.book.byTransaction(site.publicId, b.TransactionId);
    if (!i || i.status !== 'paid') return no('Not found');
    const key = req.headers['x-request-id'];
    const seen = typeof key === 'string' ? i.refunds.get(key) : undefined;
    if (seen !== undefined) return { Success: true, Message: null, Model: { TransactionId: seen } };
    const amount = typeof b.Amount === 'number' ? parseDecimal(String(b.Amount), i.currency) : undefined;
    if (!amount || amount <= 0 || amount > i.amount - i.refunded) return no('Refund amount is more than is left');
    i.refunded += amount;
    const tx = sb.book.newTransactionId();
    if (typeof key === 'string') i.refunds.set(key, tx);
    void sb.notify(i, 'refund', {
      TransactionId: String(tx),
      PaymentTransactionId: String(i.transactionId),
      Amount: formatDecimal(amount, i.currency),
    });
    return { Success: true, Message: null, Model: { TransactionId: tx } };
  });
}
