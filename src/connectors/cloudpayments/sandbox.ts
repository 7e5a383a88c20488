// A stand-in for CloudPayments over real HTTP: invoices, find, void, refunds (HTTP Basic), the
// invoice page, and the notices check, pay, fail, refund posted each to its own address, signed
// with Content-HMAC and X-Content-HMAC, retried until answered {"code":0}; a check answered
// otherwise stops the payment. Tests and the demo only: memory, open control routes.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { formatDecimal } from '../../domain/money.js';
import {
  CallbackSender,
  type OutgoingCallback,
  type SandboxDelivery,
  type SenderOptions,
} from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { readReportSwitches } from '../kit/sandbox/report-switches.js';
import { SwitchBoard } from '../kit/sandbox/switches.js';
import { apiRoutes, type CloudPaymentsSwitches } from './sandbox-api.js';
import { SiteBook, type SandboxInvoice, type SandboxSite } from './sandbox-book.js';
import { pageRoutes } from './sandbox-pages.js';
import { hmacOf, isInvoiceId } from './wire.js';

export type { CloudPaymentsSwitches, SandboxDelivery, SandboxInvoice, SandboxSite };

const BODY_LIMIT = 64 * 1024;
const answeredZero = (httpStatus: number, body: string) => {
  try {
    return httpStatus === 200 && (JSON.parse(body) as { code?: unknown }).code === 0;
  } catch {
    return false;
  }
};

export class CloudPaymentsSandbox {
  readonly #book = new SiteBook();
  readonly #switches = new SwitchBoard<CloudPaymentsSwitches>((id) => id);
  readonly #sender: CallbackSender;

  constructor(opts: SenderOptions & { sites?: SandboxSite[] } = {}) {
    this.#sender = new CallbackSender(opts);
    for (const s of opts.sites ?? []) this.addSite(s);
  }

  addSite(s: SandboxSite): void {
    if (!s.publicId || !s.apiSecret) throw new Error('sandbox: a site needs publicId and apiSecret');
    this.#book.addSite(s);
  }

  setSwitches(invoiceId: string, switches: CloudPaymentsSwitches): void {
    this.#switches.set(invoiceId, switches);
  }

  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  invoiceOf(publicId: string, invoiceId: string): SandboxInvoice | undefined {
    const i = this.#book.byInvoiceId(publicId, invoiceId);
    return i && { ...i, refunds: new Map(i.refunds) };
  }

  /** One notice of `kind` now, no retry; `hmac` forges its signatures. Resolves with Settle's HTTP status. */
  sendNotice(publicId: string, invoiceId: string, kind: string, opts: { hmac?: string } = {}): Promise<number | null> {
    const i = this.#book.byInvoiceId(publicId, invoiceId);
    const site = this.#book.site(publicId);
    if (!i || !site?.notifyRoot) throw new Error(`sandbox: no invoice ${invoiceId} with notification addresses`);
    return this.#sender.sendOnce([`${site.notifyRoot}/${kind}`], this.#notice(site, i, kind, {}, opts.hmac));
  }

  idle(): Promise<void> {
    return this.#sender.idle();
  }

  close(): void {
    this.#sender.close();
  }

  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), BODY_LIMIT);
    apiRoutes(app, {
      book: this.#book,
      switchesFor: (id) => this.#switches.for(id),
      sleep: (ms) => this.#sender.sleep(ms),
      pageUrl: (base, i) => `${base}/pay/${encodeURIComponent(i.id)}`,
      notify: (i, kind, extra) => this.#notify(i, kind, extra),
    });
    pageRoutes(app, { book: this.#book, settle: (i, outcome) => this.#settle(i, outcome) });
    app.post('/_sandbox/merchants', async (req, reply) => {
      const b = (req.body ?? {}) as Partial<SandboxSite>;
      if (typeof b.publicId !== 'string' || typeof b.apiSecret !== 'string' || !b.publicId || !b.apiSecret)
        return reply.code(400).send({ error: 'publicId and apiSecret are required strings' });
      this.addSite({
        publicId: b.publicId,
        apiSecret: b.apiSecret,
        ...(typeof b.notifyRoot === 'string' && { notifyRoot: b.notifyRoot }),
        json: b.json === true,
      });
      return reply.code(201).send({ publicId: b.publicId });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readReportSwitches(req.body ?? {}, isInvoiceId, { currency: true });
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  };

  /** The check first (one try, its answer decides), then pay or fail. */
  async #settle(i: SandboxInvoice, outcome: 'pay' | 'decline'): Promise<boolean> {
    const site = this.#book.site(i.publicId);
    if (!site?.notifyRoot) return false;
    const check = this.#notice(site, i, 'check', {});
    const asked = await this.#sender.track(async () => {
      const res = await fetch(`${site.notifyRoot}/check`, {
        method: 'POST',
        headers: this.#headers(check),
        body: check.body,
      }).catch(() => undefined);
      return res ? answeredZero(res.status, await res.text()) : false;
    });
    if (!asked) return false;
    i.transactionId = this.#book.newTransactionId();
    i.status = outcome === 'pay' ? 'paid' : 'declined';
    await this.#notify(i, outcome === 'pay' ? 'pay' : 'fail');
    return true;
  }

  #notify(i: SandboxInvoice, kind: string, extra: Record<string, string> = {}): Promise<void> {
    const site = this.#book.site(i.publicId);
    if (!site?.notifyRoot) return Promise.resolve();
    const sw = this.#switches.for(i.invoiceId);
    // A stale notice after the real one is an older pay; CloudPayments has no open status to send.
    return this.#sender.notify(
      [`${site.notifyRoot}/${kind}`],
      kind,
      () => this.#notice(site, i, kind, extra),
      sw,
      kind,
    );
  }

  #headers(cb: OutgoingCallback): Record<string, string> {
    return { 'content-type': cb.contentType, ...cb.headers };
  }

  /** A notice as CloudPayments posts it: form-encoded (or JSON), with both HMAC headers. */
  #notice(
    site: SandboxSite,
    i: SandboxInvoice,
    kind: string,
    extra: Record<string, string>,
    forged?: string,
  ): OutgoingCallback {
    const sw = this.#switches.for(i.invoiceId);
    const currency = sw.reportCurrency ?? i.currency;
    const fields: Record<string, string> = {
      TransactionId: String(i.transactionId ?? 0),
      Amount: formatDecimal(sw.reportAmount ?? i.amount, currency),
      Currency: currency,
      DateTime: new Date().toISOString().slice(0, 19).replace('T', ' '),
      InvoiceId: i.invoiceId,
      AccountId: i.accountId,
      TestMode: '1',
      ...(kind === 'pay' && { Status: 'Completed' }),
      ...(kind === 'fail' && { Reason: 'InsufficientFunds', ReasonCode: '5051' }),
      ...extra,
    };
    const body = site.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
    const decoded = site.json ? body : decodeURIComponent(body.replace(/\+/g, ' '));
    return {
      orderId: i.invoiceId,
      status: kind,
      contentType: site.json ? 'application/json' : 'application/x-www-form-urlencoded',
      body,
      headers: {
        'content-hmac': forged ?? hmacOf(site.apiSecret, Buffer.from(body, 'utf8')),
        'x-content-hmac': forged ?? hmacOf(site.apiSecret, decoded),
      },
      acknowledges: answeredZero,
    };
  }
}

export interface RunningCloudPaymentsSandbox {
  url: string;
  sandbox: CloudPaymentsSandbox;
  close(): Promise<void>;
}

export async function startCloudPaymentsSandbox(
  opts: SenderOptions & ServeOptions & { sites?: SandboxSite[] } = {},
): Promise<RunningCloudPaymentsSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new CloudPaymentsSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
