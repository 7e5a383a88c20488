// A stand-in for YooKassa API v3 over real HTTP: payments, capture and cancel of holds, refunds,
// the confirmation page, and unsigned notifications sent to the shop's address and retried until
// answered 200. Tests and the demo only: memory, open control routes.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { CallbackSender, type SandboxDelivery, type SenderOptions } from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { readReportSwitches } from '../kit/sandbox/report-switches.js';
import { SwitchBoard } from '../kit/sandbox/switches.js';
import { apiRoutes, paymentObject, type YooKassaSwitches } from './sandbox-api.js';
import { ShopBook, type SandboxPayment, type SandboxShop } from './sandbox-book.js';
import { pageRoutes } from './sandbox-pages.js';
import { isReference } from './wire.js';

export type { SandboxDelivery, SandboxPayment, SandboxShop, YooKassaSwitches };

const BODY_LIMIT = 64 * 1024;

export class YooKassaSandbox {
  readonly #book = new ShopBook();
  readonly #switches = new SwitchBoard<YooKassaSwitches>((id) => id);
  readonly #sender: CallbackSender;

  constructor(opts: SenderOptions & { shops?: SandboxShop[] } = {}) {
    this.#sender = new CallbackSender(opts);
    for (const s of opts.shops ?? []) this.addShop(s);
  }

  addShop(s: SandboxShop): void {
    if (!s.shopId || !s.secretKey) throw new Error('sandbox: a shop needs shopId and secretKey');
    this.#book.addShop(s);
  }

  /** Replaces the switches of one payment (by Settle's reference in metadata) or, with '*', the global ones. */
  setSwitches(reference: string, switches: YooKassaSwitches): void {
    this.#switches.set(reference, switches);
  }

  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  /** A copy of the payment Settle made with this reference. */
  paymentOf(shopId: string, reference: string): SandboxPayment | undefined {
    const p = this.#book.byReference(shopId, reference);
    return p && { ...p };
  }

  /** The notification body of a payment's current state (for a test that sends its own). */
  notificationOf(paymentId: string): string {
    const p = this.#book.payment(paymentId);
    if (!p) throw new Error(`sandbox: no payment ${paymentId}`);
    return JSON.stringify({ type: 'notification', event: `payment.${p.status}`, object: paymentObject(p, {}) });
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
      switchesFor: (ref) => this.#switches.for(ref),
      sleep: (ms) => this.#sender.sleep(ms),
      pageUrl: (base, p) => `${base}/pay/${encodeURIComponent(p.id)}`,
      notify: (p, event, object) => this.#notify(p, event, object),
    });
    pageRoutes(app, { book: this.#book, settle: (p, outcome) => this.#settle(p, outcome) });
    app.post('/_sandbox/merchants', async (req, reply) => {
      const b = (req.body ?? {}) as Partial<SandboxShop>;
      if (typeof b.shopId !== 'string' || typeof b.secretKey !== 'string' || !b.shopId || !b.secretKey)
        return reply.code(400).send({ error: 'shopId and secretKey are required strings' });
      if (b.notificationUrl !== undefined && typeof b.notificationUrl !== 'string')
        return reply.code(400).send({ error: 'notificationUrl must be a string' });
      this.addShop({
        shopId: b.shopId,
        secretKey: b.secretKey,
        ...(b.notificationUrl && { notificationUrl: b.notificationUrl }),
      });
      return reply.code(201).send({ shopId: b.shopId });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readReportSwitches(req.body ?? {}, isReference, { currency: true });
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  };

  async #settle(p: SandboxPayment, outcome: 'pay' | 'decline'): Promise<void> {
    if (outcome === 'decline') {
      p.status = 'canceled';
      p.cancellationReason = 'insufficient_funds';
    } else p.status = p.capture ? 'succeeded' : 'waiting_for_capture';
    // The notification says what happened; Settle reads the payment itself before it acts.
    return this.#notify(p, `payment.${p.status}`, paymentObject(p, {}));
  }

  #notify(p: SandboxPayment, event: string, object: unknown): Promise<void> {
    const url = this.#book.shop(p.shopId)?.notificationUrl;
    if (!url) return Promise.resolve();
    const reference = String(p.metadata.settle_reference ?? '');
    const sw = this.#switches.for(reference);
    const body = (e: string) => JSON.stringify({ type: 'notification', event: e, object });
    return this.#sender.notify(
      [url],
      event,
      (e) => ({ orderId: reference, status: e, contentType: 'application/json', body: body(e) }),
      sw,
      'payment.waiting_for_capture',
    );
  }
}

export interface RunningYooKassaSandbox {
  /** The base URL without a trailing slash: the API is `${url}/v3`. */
  url: string;
  sandbox: YooKassaSandbox;
  close(): Promise<void>;
}

export async function startYooKassaSandbox(
  opts: SenderOptions & ServeOptions & { shops?: SandboxShop[] } = {},
): Promise<RunningYooKassaSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new YooKassaSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
