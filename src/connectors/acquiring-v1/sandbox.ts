// A stand-in for the acquirer over real HTTP: payment page, signed webhooks with retries, and
// the checkorder/cancelorder API, with switches for the misbehaviour Settle must survive.
// For tests and the demo only: it keeps everything in memory and its control routes are open.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  CallbackSender,
  type OutgoingCallback,
  type SandboxDelivery,
  type SenderOptions,
} from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import {
  COMMON_SWITCH_KINDS,
  readSwitches,
  SwitchBoard,
  type CommonSwitches,
  type SwitchKind,
} from '../kit/sandbox/switches.js';
import { AMOUNT, shopProblem, ShopBook, type SandboxOrder, type SandboxShop, type Shop } from './sandbox-book.js';
import { pageRoutes } from './sandbox-pages.js';
import { callbackHash, hashEquals, isOrderId, normalizeOrderId, paymentHash } from './wire.js';

export type { SandboxDelivery, SandboxOrder, SandboxShop };

/** Misbehaviour, per order id or for all ('*'): the kit's switches and this protocol's own. */
export interface SandboxSwitches extends CommonSwitches {
  /** Answer checkorder with this status (e.g. "error#1234") instead of the order's. */
  checkError?: string;
  /** Answer cancelorder with this status (e.g. "error#1234") and cancel nothing. */
  cancelError?: string;
  /** The NNNN of error#NNNN when the customer declines (default 5001). */
  declineCode?: string;
  /**
   * Add `amount` (as on the wire, "1400.00") and `currency` to the webhook: the acquirer documents
   * neither, so this plays an acquirer that states another amount than the one paid.
   */
  reportAmount?: string;
  reportCurrency?: string;
}

const SWITCH_KINDS: Record<keyof SandboxSwitches, SwitchKind> = {
  ...COMMON_SWITCH_KINDS,
  checkError: 'status',
  cancelError: 'status',
  declineCode: 'code',
  reportAmount: 'status',
  reportCurrency: 'status',
};

export interface SandboxOptions extends SenderOptions {
  /** Default decline code (default "5001"). */
  declineCode?: string;
  shops?: SandboxShop[];
}

/** Error codes this sandbox answers with (the real acquirer's list is not published). */
export const SANDBOX_ERRORS = {
  unknownShop: 'error#1001',
  wrongHash: 'error#1002',
  alreadyExecuted: 'error#1003',
  unknownOrder: 'error#1004',
} as const;

const FORM_LIMIT = 64 * 1024;

export class AcquiringV1Sandbox {
  readonly #book = new ShopBook();
  readonly #switches = new SwitchBoard<SandboxSwitches>(normalizeOrderId);
  readonly #sender: CallbackSender;
  readonly #declineDefault: string;

  constructor(opts: SandboxOptions = {}) {
    this.#sender = new CallbackSender(opts);
    this.#declineDefault = opts.declineCode ?? '5001';
    for (const shop of opts.shops ?? []) this.addShop(shop);
  }

  get closed(): boolean {
    return this.#sender.closed;
  }

  /** Adds a shop, or replaces the one with the same id (case-insensitive). Throws on bad input. */
  addShop(shop: SandboxShop): void {
    this.#book.addShop(shop);
  }

  /** Replaces the switches of one order id (case-insensitive) or, with '*', the global ones. `{}` clears. */
  setSwitches(orderId: string, switches: SandboxSwitches): void {
    this.#switches.set(orderId, switches);
  }

  /** A log of every webhook try, oldest first. */
  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  getOrder(shopId: string, orderId: string): SandboxOrder | undefined {
    const o = this.#book.order(shopId, orderId);
    return o && { ...o };
  }

  /** Records an order as the payment page does, without the page (amount as on the wire). */
  openOrder(shopId: string, orderId: string, amount: string): SandboxOrder {
    const shop = this.#book.shopOrThrow(shopId);
    if (!isOrderId(orderId) || !AMOUNT.test(amount)) throw new Error('sandbox: bad OrderID or amount');
    return { ...this.#book.open(shop, orderId, amount) };
  }

  /** The customer pays: status executed, webhook sent. Resolves after the first webhook try. */
  async pay(shopId: string, orderId: string): Promise<SandboxOrder> {
    const { shop, order } = this.#book.payable(shopId, orderId);
    return this.#settle(shop, order, 'executed');
  }

  /** The customer is declined: status error#NNNN, webhook sent. Resolves after the first webhook try. */
  async decline(shopId: string, orderId: string, code?: string): Promise<SandboxOrder> {
    const { shop, order } = this.#book.payable(shopId, orderId);
    return this.#settle(shop, order, `error#${code ?? this.#declineCode(orderId)}`);
  }

  /** Forces any status; with notify, sends the webhook as for a payment. */
  async setStatus(shopId: string, orderId: string, status: string, opts: { notify: boolean }): Promise<SandboxOrder> {
    const shop = this.#book.shopOrThrow(shopId);
    const order = this.#book.order(shopId, orderId);
    if (!order) throw new Error(`sandbox: no order ${orderId} at shop ${shopId}`);
    order.status = status;
    if (opts.notify) await this.#notify(shop, order, status);
    return { ...order };
  }

  /**
   * Sends one webhook now, once, no retry, signed unless `hash` is given (to forge one), to one of
   * the shop's callback URLs picked at random (the log says which). The order need not exist.
   * Resolves with the receiver's HTTP status, or null on a network error.
   */
  async sendCallback(
    shopId: string,
    orderId: string,
    status: string,
    opts: { hash?: string } = {},
  ): Promise<number | null> {
    const shop = this.#book.shopOrThrow(shopId);
    const sentId = this.#book.order(shopId, orderId)?.orderId ?? orderId;
    return this.#sender.sendOnce(shop.callbackUrls, signed(shop, sentId, status, opts.hash));
  }

  /** Resolves when no webhook delivery, retry or delay is pending. */
  idle(): Promise<void> {
    return this.#sender.idle();
  }

  /** Cancels pending retries and delays and releases held answers. Idempotent. */
  close(): void {
    this.#sender.close();
  }

  stop(): void {
    this.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. Encapsulated: its form parser stays inside. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), FORM_LIMIT);
    pageRoutes(app, {
      book: this.#book,
      settle: (shop, order, status) => this.#settle(shop, order, status),
      declineCode: (orderId) => this.#declineCode(orderId),
    });
    this.#apiRoutes(app);
    this.#controlRoutes(app);
  };

  // ---- routes --------------------------------------------------------------------------

  #apiRoutes(app: FastifyInstance): void {
    app.get('/api/v1/checkorder/:shopId/:orderId', async (req, reply) => {
      const p = req.params as Record<string, string>;
      const sw = this.#switchesFor(p.orderId!);
      if (sw.timeoutMs) await this.#sender.sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (sw.checkError) return { status: sw.checkError };
      if (!this.#book.shop(p.shopId!)) return { status: SANDBOX_ERRORS.unknownShop };
      const order = this.#book.order(p.shopId!, p.orderId!);
      return { status: order ? order.status : SANDBOX_ERRORS.unknownOrder };
    });

    app.get('/api/v1/cancelorder/:shopId/:orderId/:hash', async (req, reply) => {
      const p = req.params as Record<string, string>;
      const sw = this.#switchesFor(p.orderId!);
      if (sw.timeoutMs) await this.#sender.sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (sw.cancelError) return { status: sw.cancelError };
      const shop = this.#book.shop(p.shopId!);
      if (!shop) return { status: SANDBOX_ERRORS.unknownShop };
      const order = this.#book.order(p.shopId!, p.orderId!);
      if (!order) return { status: SANDBOX_ERRORS.unknownOrder };
      if (!hashEquals(paymentHash(shop.key, p.orderId!, order.amount), p.hash!))
        return { status: SANDBOX_ERRORS.wrongHash };
      if (order.status === 'executed') return { status: SANDBOX_ERRORS.alreadyExecuted };
      order.status = 'canceled';
      return { status: 'canceled' };
    });
  }

  #controlRoutes(app: FastifyInstance): void {
    app.post('/_sandbox/shops', async (req, reply) => {
      const body = (req.body ?? {}) as Partial<SandboxShop>;
      const problem = shopProblem(body);
      if (problem) return reply.code(400).send({ error: problem });
      this.addShop(body as SandboxShop);
      return reply.code(201).send({ shopId: body.shopId });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const read = readSwitches(body, SWITCH_KINDS, isOrderId);
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  }

  // ---- state and webhooks ----------------------------------------------------------------

  #switchesFor(orderId: string): SandboxSwitches {
    return this.#switches.for(orderId);
  }

  #declineCode(orderId: string): string {
    return this.#switchesFor(orderId).declineCode ?? this.#declineDefault;
  }

  /** Sets the status and sends the webhook; resolves after the first try, or at once when delayed. */
  async #settle(shop: Shop, order: SandboxOrder, status: string): Promise<SandboxOrder> {
    order.status = status;
    await this.#notify(shop, order, status);
    return { ...order };
  }

  /** Starts the webhooks for a status change; see CallbackSender.notify. */
  #notify(shop: Shop, order: SandboxOrder, status: string): Promise<void> {
    const orderId = order.orderId;
    const sw = this.#switchesFor(orderId);
    const stated =
      sw.reportAmount !== undefined || sw.reportCurrency !== undefined
        ? { amount: sw.reportAmount ?? order.amount, currency: sw.reportCurrency ?? 'AMD' }
        : undefined;
    const sign = (s: string) => signed(shop, orderId, s, undefined, stated);
    return this.#sender.notify(shop.callbackUrls, status, sign, sw, 'opened');
  }
}

export interface StartSandboxOptions extends SandboxOptions, ServeOptions {}

export interface RunningSandbox {
  /** The base URL, without a trailing slash: the payment page is `${url}/p/...`, the API `${url}/api/v1/...`. */
  url: string;
  sandbox: AcquiringV1Sandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, `settle sandbox acquiring-v1`). */
export async function startAcquiringV1Sandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new AcquiringV1Sandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}

// ---- helpers -----------------------------------------------------------------------------

/** The webhook for one status: JSON, signed, or with a forged hash. */
function signed(
  shop: Shop,
  orderId: string,
  status: string,
  forgedHash?: string,
  stated?: { amount: string; currency: string },
): OutgoingCallback {
  const hash = forgedHash ?? callbackHash(shop.key, orderId, status);
  return {
    orderId,
    status,
    contentType: 'application/json',
    body: JSON.stringify({ order_id: orderId, status, hash, ...stated }),
  };
}
