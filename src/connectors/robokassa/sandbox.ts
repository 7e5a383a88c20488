// A stand-in for Robokassa over real HTTP: the payment page checks SignatureValue (Password #1),
// Pay calls ResultURL signed with Password #2 (retried until answered OK{InvId}) and sends the
// browser to SuccessURL, Decline to FailURL; OpStateExt answers XML. Tests and the demo only.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import {
  CallbackSender,
  type OutgoingCallback,
  type SandboxDelivery,
  type SenderOptions,
} from '../kit/sandbox/callback-sender.js';
import { escapeHtml, sandboxPage, sendPage } from '../kit/sandbox/page.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { readReportSwitches, type ReportSwitches } from '../kit/sandbox/report-switches.js';
import { SwitchBoard } from '../kit/sandbox/switches.js';
import { ShopBook, type SandboxInvoice, type SandboxShop } from './sandbox-book.js';
import {
  isInvId,
  paymentSignature,
  readOutSum,
  resultSignature,
  signatureMatches,
  stateSignature,
  wireOutSum,
} from './wire.js';

export type { SandboxDelivery, SandboxInvoice, SandboxShop };
/** The kit's switches, with the sum it states (kopecks) in ResultURL and OpStateExt. */
export type RobokassaSwitches = Omit<ReportSwitches, 'reportCurrency'>;

const WHO = 'Robokassa';
const FORM_LIMIT = 64 * 1024;
const page = (reply: FastifyReply, code: number, title: string, message: string) =>
  sendPage(reply, WHO, code, title, message);
const withQuery = (url: string, q: Record<string, string>) =>
  `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(q).toString()}`;

export class RobokassaSandbox {
  readonly #book = new ShopBook();
  readonly #switches = new SwitchBoard<RobokassaSwitches>((id) => id);
  readonly #sender: CallbackSender;

  constructor(opts: SenderOptions & { shops?: SandboxShop[] } = {}) {
    this.#sender = new CallbackSender(opts);
    for (const s of opts.shops ?? []) this.addShop(s);
  }

  addShop(s: SandboxShop): void {
    this.#book.addShop(s);
  }

  setSwitches(invId: string, sw: RobokassaSwitches): void {
    this.#switches.set(invId, sw);
  }

  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  invoiceOf(login: string, invId: string): SandboxInvoice | undefined {
    const i = this.#book.invoice(login, invId);
    return i && { ...i };
  }

  /** One ResultURL call now, no retry; `signature` forges it. Resolves with Settle's HTTP status. */
  sendResult(login: string, invId: string, opts: { signature?: string } = {}): Promise<number | null> {
    const shop = this.#book.shop(login);
    const i = this.#book.invoice(login, invId);
    if (!shop?.resultUrl || !i) throw new Error(`sandbox: no invoice ${invId} with a ResultURL`);
    return this.#sender.sendOnce([shop.resultUrl], this.#result(shop, i, opts.signature));
  }

  idle(): Promise<void> {
    return this.#sender.idle();
  }

  close(): void {
    this.#sender.close();
  }

  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), FORM_LIMIT);
    app.get('/Merchant/Index.aspx', async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const shop = this.#book.shop(q.MerchantLogin ?? '');
      if (!shop || !isInvId(q.InvId) || !q.OutSum || readOutSum(q.OutSum) <= 0)
        return page(reply, 400, 'Bad request', 'MerchantLogin, OutSum and InvId are required.');
      const expected = paymentSignature(shop.algorithm, {
        login: shop.login,
        outSum: q.OutSum,
        invId: q.InvId,
        password1: shop.password1,
      });
      if (!signatureMatches(q.SignatureValue, expected))
        return page(reply, 400, 'Error 29', 'SignatureValue is wrong.');
      const i = this.#book.open({
        login: shop.login,
        invId: q.InvId,
        outSum: q.OutSum,
        description: q.Description ?? '',
        isTest: q.IsTest === '1',
      });
      if (i.state !== 5) return page(reply, 409, 'Invoice closed', `Invoice ${i.invId} is closed (state ${i.state}).`);
      const hidden = `<input type="hidden" name="login" value="${escapeHtml(shop.login)}"><input type="hidden" name="invId" value="${escapeHtml(i.invId)}">`;
      const body = `<dl><dt>Invoice</dt><dd data-testid="order-id">${escapeHtml(i.invId)}</dd><dt>Amount</dt><dd data-testid="amount">${escapeHtml(i.outSum)} RUB</dd><dt>Description</dt><dd>${escapeHtml(i.description)}</dd></dl>
<form method="post" action="pay">${hidden}<button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="decline">${hidden}<button type="submit" data-testid="decline-button">Decline</button></form>`;
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .send(sandboxPage(WHO, 'Payment', body));
    });
    const settle = (outcome: 'pay' | 'decline') => async (req: { body: unknown }, reply: FastifyReply) => {
      const f = (req.body ?? {}) as Record<string, string>;
      const shop = this.#book.shop(f.login ?? '');
      const i = shop && this.#book.invoice(shop.login, f.invId ?? '');
      if (!shop || !i) return page(reply, 404, 'Unknown invoice', 'There is no such invoice.');
      if (i.state !== 5) return page(reply, 409, 'Invoice closed', `Invoice ${i.invId} is closed.`);
      if (outcome === 'decline') {
        i.state = 10;
        return shop.failUrl
          ? reply
              .code(303)
              .header('location', withQuery(shop.failUrl, { OutSum: i.outSum, InvId: i.invId, Culture: 'ru' }))
              .send()
          : page(reply, 200, 'Declined', 'Not paid.');
      }
      i.state = 100;
      if (shop.resultUrl) await this.#notify(shop, i);
      if (!shop.successUrl) return page(reply, 200, 'Paid', 'Thank you.');
      const signature = paymentSignature(shop.algorithm, {
        login: shop.login,
        outSum: i.outSum,
        invId: i.invId,
        password1: shop.password1,
      });
      return reply
        .code(303)
        .header(
          'location',
          withQuery(shop.successUrl, { OutSum: i.outSum, InvId: i.invId, SignatureValue: signature, Culture: 'ru' }),
        )
        .send();
    };
    app.post('/Merchant/pay', settle('pay'));
    app.post('/Merchant/decline', settle('decline'));
    app.get('/Merchant/WebService/Service.asmx/OpStateExt', async (req, reply) =>
      this.#state(req.query as Record<string, string>, reply),
    );
    app.post('/_sandbox/merchants', async (req, reply) => {
      const b = (req.body ?? {}) as Partial<SandboxShop>;
      if (!b.login || !b.password1 || !b.password2)
        return reply.code(400).send({ error: 'login, password1 and password2 are required' });
      this.addShop({ algorithm: 'md5', ...b } as SandboxShop);
      return reply.code(201).send({ login: b.login });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readReportSwitches(req.body ?? {}, isInvId, { currency: false });
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  };

  async #state(q: Record<string, string>, reply: FastifyReply) {
    const sw = this.#switches.for(q.InvoiceID ?? '');
    if (sw.timeoutMs) await this.#sender.sleep(sw.timeoutMs);
    if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
    const xml = (inner: string) =>
      reply
        .type('text/xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<OperationStateResponse xmlns="http://merchant.roboxchange.com/WebService/">${inner}</OperationStateResponse>`,
        );
    const shop = this.#book.shop(q.MerchantLogin ?? '');
    if (
      !shop ||
      !signatureMatches(q.Signature, stateSignature(shop.algorithm, shop.login, q.InvoiceID ?? '', shop.password2))
    )
      return xml('<Result><Code>1</Code><Description>Signature is wrong</Description></Result>');
    const i = this.#book.invoice(shop.login, q.InvoiceID ?? '');
    if (!i) return xml('<Result><Code>3</Code><Description>Invoice not found</Description></Result>');
    const outSum = sw.reportAmount !== undefined ? wireOutSum(sw.reportAmount) : i.outSum;
    return xml(
      `<Result><Code>0</Code></Result><State><Code>${i.state}</Code><RequestDate>${new Date().toISOString()}</RequestDate></State><Info><IncCurrLabel>BankCard</IncCurrLabel><IncSum>${outSum}</IncSum><OutCurrLabel>RUB</OutCurrLabel><OutSum>${outSum}</OutSum></Info>`,
    );
  }

  #notify(shop: SandboxShop, i: SandboxInvoice): Promise<void> {
    const sw = this.#switches.for(i.invId);
    return this.#sender.notify([shop.resultUrl!], 'paid', () => this.#result(shop, i), sw, 'paid');
  }

  /** The ResultURL call as Robokassa posts it: OutSum with six decimals, signed with Password #2. */
  #result(shop: SandboxShop, i: SandboxInvoice, forged?: string): OutgoingCallback {
    const sw = this.#switches.for(i.invId);
    const kopecks = sw.reportAmount ?? readOutSum(i.outSum);
    const outSum = `${wireOutSum(kopecks)}0000`;
    const fields: Record<string, string> = {
      OutSum: outSum,
      InvId: i.invId,
      Fee: '0.000000',
      EMail: '',
      SignatureValue:
        forged ??
        resultSignature(shop.algorithm, { outSum, invId: i.invId, password2: shop.password2, shp: {} }).toUpperCase(),
      PaymentMethod: 'BankCard',
      IncCurrLabel: 'BankCardPSR',
      ...(i.isTest && { IsTest: '1' }),
    };
    return {
      orderId: i.invId,
      status: 'paid',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(fields).toString(),
      acknowledges: (status, body) => status === 200 && body.trim() === `OK${i.invId}`,
    };
  }
}

export interface RunningRobokassaSandbox {
  url: string;
  sandbox: RobokassaSandbox;
  close(): Promise<void>;
}

export async function startRobokassaSandbox(
  opts: SenderOptions & ServeOptions & { shops?: SandboxShop[] } = {},
): Promise<RunningRobokassaSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new RobokassaSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
