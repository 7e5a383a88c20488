// A stand-in for the acquirer over real HTTP: payment page, signed webhooks with retries, and
// the checkorder/cancelorder API, with switches for the misbehaviour Settle must survive.
// For tests and the demo only: it keeps everything in memory and its control routes are open.
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { Secret } from '../../domain/secret.js';
import { callbackHash, hashEquals, isOrderId, normalizeOrderId, paymentHash } from './wire.js';

export interface SandboxShop {
  shopId: string;
  privateKey: string;
  /**
   * Where webhooks go (the acquirer's merchant-cabinet setting). Several URLs (e.g. one per
   * server behind no balancer): each try, first or retry, goes to one picked at random.
   */
  callbackUrl: string | string[];
  /** Where the browser goes after paying or declining; [OrderID] is replaced. */
  returnUrl?: string;
}

/** Misbehaviour, per order id or for all ('*'); an order's own switches override the global ones field by field. */
export interface SandboxSwitches {
  /** Wait this long before sending callbacks (the browser is then redirected without waiting). */
  delayMs?: number;
  /** Send each callback twice. */
  duplicate?: boolean;
  /** Send no callbacks; the status still changes, so checkorder tells the truth. */
  drop?: boolean;
  /** After the real status, also send this older one (`true` means "opened"). */
  staleAfter?: string | true;
  /** Answer checkorder with this status (e.g. "error#1234") instead of the order's. */
  checkError?: string;
  /** Answer cancelorder with this status (e.g. "error#1234") and cancel nothing. */
  cancelError?: string;
  /** Hold checkorder/cancelorder answers this long, to exceed a client's timeout. */
  timeoutMs?: number;
  /** Answer checkorder/cancelorder with this HTTP status and a non-JSON body. */
  apiHttpStatus?: number;
  /** The NNNN of error#NNNN when the customer declines (default 5001). */
  declineCode?: string;
}

export interface SandboxOrder {
  shopId: string;
  /** As the shop last sent it. */
  orderId: string;
  /** As on the wire ("1500.00"). */
  amount: string;
  status: string;
}

export interface SandboxDelivery {
  orderId: string;
  status: string;
  /** The callback URL this try went to. */
  url: string;
  /** null: network error or timeout. */
  httpStatus: number | null;
  /** The receiver answered 2xx. */
  acknowledged: boolean;
  /** 1 for the first try of a callback, 2.. for its retries. */
  attempt: number;
  at: string;
}

export interface SandboxOptions {
  /** Tries per webhook, the first included (default 6). */
  retryAttempts?: number;
  /** Delay before the first retry, doubled each time (default 200 ms). */
  retryBaseDelayMs?: number;
  /** Per webhook try (default 5000 ms). */
  deliveryTimeoutMs?: number;
  /** How long the browser redirect waits for the first webhook try (default 2000 ms). */
  firstTryWaitMs?: number;
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

const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const DIGITS = /^\d{1,9}$/;
const FORM_LIMIT = 64 * 1024;
const DELIVERY_LOG_MAX = 10_000;
const CALLBACK_URLS_MAX = 16;

interface Shop {
  shopId: string;
  key: Secret;
  callbackUrls: string[];
  returnUrl: string | undefined;
}

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class AcquiringV1Sandbox {
  readonly #shops = new Map<string, Shop>();
  readonly #orders = new Map<string, SandboxOrder>();
  readonly #switches = new Map<string, SandboxSwitches>();
  readonly #deliveries: SandboxDelivery[] = [];
  readonly #sleepers = new Set<Sleeper>();
  readonly #closing = new AbortController();
  #pending = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #opts: Required<Omit<SandboxOptions, 'shops'>>;

  constructor(opts: SandboxOptions = {}) {
    this.#opts = {
      retryAttempts: opts.retryAttempts ?? 6,
      retryBaseDelayMs: opts.retryBaseDelayMs ?? 200,
      deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 5000,
      firstTryWaitMs: opts.firstTryWaitMs ?? 2000,
      declineCode: opts.declineCode ?? '5001',
    };
    for (const shop of opts.shops ?? []) this.addShop(shop);
  }

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Adds a shop, or replaces the one with the same id (case-insensitive). Throws on bad input. */
  addShop(shop: SandboxShop): void {
    const problem = shopProblem(shop);
    if (problem) throw new Error(`sandbox: ${problem}`);
    this.#shops.set(shop.shopId.toLowerCase(), {
      shopId: shop.shopId,
      key: new Secret(shop.privateKey),
      callbackUrls: typeof shop.callbackUrl === 'string' ? [shop.callbackUrl] : [...shop.callbackUrl],
      returnUrl: shop.returnUrl,
    });
  }

  /** Replaces the switches of one order id (case-insensitive) or, with '*', the global ones. `{}` clears. */
  setSwitches(orderId: string, switches: SandboxSwitches): void {
    this.#switches.set(orderId === '*' ? '*' : normalizeOrderId(orderId), { ...switches });
  }

  /** A log of every webhook try, oldest first. */
  get deliveries(): readonly SandboxDelivery[] {
    return this.#deliveries.map((d) => ({ ...d }));
  }

  getOrder(shopId: string, orderId: string): SandboxOrder | undefined {
    const o = this.#orders.get(orderKey(shopId, orderId));
    return o && { ...o };
  }

  /** Records an order as the payment page does, without the page (amount as on the wire). */
  openOrder(shopId: string, orderId: string, amount: string): SandboxOrder {
    const shop = this.#shopOrThrow(shopId);
    if (!isOrderId(orderId) || !AMOUNT.test(amount)) throw new Error('sandbox: bad OrderID or amount');
    const order = { shopId: shop.shopId, orderId, amount, status: 'opened' };
    this.#orders.set(orderKey(shopId, orderId), order);
    return { ...order };
  }

  /** The customer pays: status executed, webhook sent. Resolves after the first webhook try. */
  async pay(shopId: string, orderId: string): Promise<SandboxOrder> {
    const { shop, order } = this.#payable(shopId, orderId);
    return this.#settle(shop, order, 'executed');
  }

  /** The customer is declined: status error#NNNN, webhook sent. Resolves after the first webhook try. */
  async decline(shopId: string, orderId: string, code?: string): Promise<SandboxOrder> {
    const { shop, order } = this.#payable(shopId, orderId);
    return this.#settle(shop, order, `error#${code ?? this.#declineCode(orderId)}`);
  }

  /** Forces any status; with notify, sends the webhook as for a payment. */
  async setStatus(shopId: string, orderId: string, status: string, opts: { notify: boolean }): Promise<SandboxOrder> {
    const shop = this.#shopOrThrow(shopId);
    const order = this.#orders.get(orderKey(shopId, orderId));
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
    const shop = this.#shopOrThrow(shopId);
    const sentId = this.#orders.get(orderKey(shopId, orderId))?.orderId ?? orderId;
    return this.#track(() => this.#post(shop, sentId, status, 1, opts.hash));
  }

  /** Resolves when no webhook delivery, retry or delay is pending. */
  idle(): Promise<void> {
    if (this.#pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels pending retries and delays and releases held answers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.#closing.abort();
    for (const s of this.#sleepers) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleepers.clear();
    this.#wakeIdle();
  }

  stop(): void {
    this.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. Encapsulated: its form parser stays inside. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    // The host may parse forms its own way; inside this plugin ours applies.
    if (app.hasContentTypeParser('application/x-www-form-urlencoded'))
      app.removeContentTypeParser('application/x-www-form-urlencoded');
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    // Release held answers before the server waits for in-flight requests.
    app.addHook('preClose', (done) => {
      this.close();
      done();
    });
    this.#pageRoutes(app);
    this.#apiRoutes(app);
    this.#controlRoutes(app);
  };

  // ---- routes --------------------------------------------------------------------------

  #pageRoutes(app: FastifyInstance): void {
    app.get('/p/:shopId/:orderId/:amount/:hash', async (req, reply) => {
      const p = req.params as Record<string, string>;
      const checked = this.#checkLink(p);
      if (typeof checked === 'string') return sendPage(reply, 400, 'Payment link refused', checked);
      const { shop } = checked;
      const key = orderKey(shop.shopId, p.orderId!);
      const existing = this.#orders.get(key);
      if (existing?.status === 'executed')
        return sendPage(reply, 409, 'Already paid', `Order ${existing.orderId} is already paid.`);
      if (existing?.status === 'canceled')
        return sendPage(reply, 409, 'Order canceled', `Order ${existing.orderId} was canceled by the shop.`);
      const order = { shopId: shop.shopId, orderId: p.orderId!, amount: p.amount!, status: 'opened' };
      this.#orders.set(key, order);
      return reply.code(200).type('text/html; charset=utf-8').send(paymentPage(order, p.hash!));
    });

    const settleRoute = (outcome: 'pay' | 'decline') => async (req: { params: unknown }, reply: FastifyReply) => {
      const p = req.params as Record<string, string>;
      const checked = this.#checkLink(p);
      if (typeof checked === 'string') return sendPage(reply, 400, 'Payment refused', checked);
      const order = this.#orders.get(orderKey(checked.shop.shopId, p.orderId!));
      if (!order) return sendPage(reply, 409, 'Unknown order', 'Open the payment page first.');
      if (order.status === 'executed')
        return sendPage(reply, 409, 'Already paid', `Order ${order.orderId} is already paid.`);
      if (order.status === 'canceled')
        return sendPage(reply, 409, 'Order canceled', `Order ${order.orderId} was canceled by the shop.`);
      const status = outcome === 'pay' ? 'executed' : `error#${this.#declineCode(order.orderId)}`;
      await this.#settle(checked.shop, order, status);
      const back = checked.shop.returnUrl;
      if (back)
        return reply
          .code(303)
          .header('location', back.split('[OrderID]').join(encodeURIComponent(order.orderId)))
          .send();
      const done =
        outcome === 'pay' ? `Order ${order.orderId} is paid.` : `Order ${order.orderId} was declined (${status}).`;
      return sendPage(reply, 200, 'Done', done);
    };
    // Relative to the page's URL, so the forms work under any mount prefix.
    app.post('/p/:shopId/:orderId/:amount/:hash/pay', settleRoute('pay'));
    app.post('/p/:shopId/:orderId/:amount/:hash/decline', settleRoute('decline'));
  }

  #apiRoutes(app: FastifyInstance): void {
    app.get('/api/v1/checkorder/:shopId/:orderId', async (req, reply) => {
      const p = req.params as Record<string, string>;
      const sw = this.#switchesFor(p.orderId!);
      if (sw.timeoutMs) await this.#sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (sw.checkError) return { status: sw.checkError };
      if (!this.#shops.has(p.shopId!.toLowerCase())) return { status: SANDBOX_ERRORS.unknownShop };
      const order = this.#orders.get(orderKey(p.shopId!, p.orderId!));
      return { status: order ? order.status : SANDBOX_ERRORS.unknownOrder };
    });

    app.get('/api/v1/cancelorder/:shopId/:orderId/:hash', async (req, reply) => {
      const p = req.params as Record<string, string>;
      const sw = this.#switchesFor(p.orderId!);
      if (sw.timeoutMs) await this.#sleep(sw.timeoutMs);
      if (sw.apiHttpStatus) return reply.code(sw.apiHttpStatus).type('text/plain').send('sandbox: forced error');
      if (sw.cancelError) return { status: sw.cancelError };
      const shop = this.#shops.get(p.shopId!.toLowerCase());
      if (!shop) return { status: SANDBOX_ERRORS.unknownShop };
      const order = this.#orders.get(orderKey(p.shopId!, p.orderId!));
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
      const read = readSwitches(body);
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  }

  // ---- state and webhooks ----------------------------------------------------------------

  #checkLink(p: Record<string, string>): { shop: Shop } | string {
    const shop = this.#shops.get((p.shopId ?? '').toLowerCase());
    if (!shop) return 'This shop is not known to the acquirer.';
    if (!isOrderId(p.orderId ?? '') || !AMOUNT.test(p.amount ?? '')) return 'The order number or amount is not valid.';
    if (!hashEquals(paymentHash(shop.key, p.orderId!, p.amount!), p.hash ?? ''))
      return "The payment link's signature is wrong.";
    return { shop };
  }

  #shopOrThrow(shopId: string): Shop {
    const shop = this.#shops.get(shopId.toLowerCase());
    if (!shop) throw new Error(`sandbox: unknown shop ${shopId}`);
    return shop;
  }

  #payable(shopId: string, orderId: string): { shop: Shop; order: SandboxOrder } {
    const shop = this.#shopOrThrow(shopId);
    const order = this.#orders.get(orderKey(shopId, orderId));
    if (!order) throw new Error(`sandbox: no order ${orderId} at shop ${shopId} (open the payment page first)`);
    if (order.status === 'executed' || order.status === 'canceled')
      throw new Error(`sandbox: order ${orderId} is ${order.status}`);
    return { shop, order };
  }

  #switchesFor(orderId: string): SandboxSwitches {
    return { ...this.#switches.get('*'), ...this.#switches.get(normalizeOrderId(orderId)) };
  }

  #declineCode(orderId: string): string {
    return this.#switchesFor(orderId).declineCode ?? this.#opts.declineCode;
  }

  /** Sets the status and sends the webhook; resolves after the first try, or at once when delayed. */
  async #settle(shop: Shop, order: SandboxOrder, status: string): Promise<SandboxOrder> {
    order.status = status;
    await this.#notify(shop, order, status);
    return { ...order };
  }

  /**
   * Starts the webhooks for a status change in the background: the status, its duplicate, then
   * the stale one, each retried on its own. Resolves after the first try of the first (at most
   * firstTryWaitMs), at once when callbacks are delayed or dropped: the browser must not wait
   * for retries.
   */
  #notify(shop: Shop, order: SandboxOrder, status: string): Promise<void> {
    const sw = this.#switchesFor(order.orderId);
    if (sw.drop || this.closed) return Promise.resolve();
    const statuses = [status];
    if (sw.duplicate) statuses.push(status);
    if (sw.staleAfter !== undefined) statuses.push(sw.staleAfter === true ? 'opened' : sw.staleAfter);
    let firstTried!: () => void;
    const firstTry = new Promise<void>((resolve) => (firstTried = resolve));
    const orderId = order.orderId;
    void this.#track(async () => {
      try {
        if (sw.delayMs) await this.#sleep(sw.delayMs);
        for (const [i, s] of statuses.entries())
          await this.#deliver(shop, orderId, s, i === 0 ? firstTried : undefined);
      } finally {
        firstTried();
      }
    }).catch(() => undefined); // #post never throws; this only keeps a bug from crashing the demo
    if (sw.delayMs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Only a bound on the wait: the delivery itself holds the event loop while it runs.
      const bound = setTimeout(resolve, this.#opts.firstTryWaitMs).unref();
      void firstTry.then(() => {
        clearTimeout(bound);
        resolve();
      });
    });
  }

  async #deliver(shop: Shop, orderId: string, status: string, onFirstTry?: () => void): Promise<void> {
    for (let attempt = 1; attempt <= this.#opts.retryAttempts && !this.closed; attempt++) {
      const httpStatus = await this.#post(shop, orderId, status, attempt);
      if (attempt === 1) onFirstTry?.();
      if (httpStatus !== null && httpStatus >= 200 && httpStatus < 300) return;
      if (attempt < this.#opts.retryAttempts) await this.#sleep(this.#opts.retryBaseDelayMs * 2 ** (attempt - 1));
    }
  }

  /** One webhook try, logged. */
  async #post(
    shop: Shop,
    orderId: string,
    status: string,
    attempt: number,
    forgedHash?: string,
  ): Promise<number | null> {
    const hash = forgedHash ?? callbackHash(shop.key, orderId, status);
    let httpStatus: number | null;
    const at = new Date().toISOString();
    const url = shop.callbackUrls[randomInt(shop.callbackUrls.length)]!;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: orderId, status, hash }),
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#opts.deliveryTimeoutMs), this.#closing.signal]),
      });
      httpStatus = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      httpStatus = null;
    }
    const acknowledged = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    this.#deliveries.push({ orderId, status, url, httpStatus, acknowledged, attempt, at });
    // A demo may run for days: keep the log bounded.
    if (this.#deliveries.length > DELIVERY_LOG_MAX)
      this.#deliveries.splice(0, this.#deliveries.length - DELIVERY_LOG_MAX);
    return httpStatus;
  }

  async #track<T>(work: () => Promise<T>): Promise<T> {
    this.#pending++;
    try {
      return await work();
    } finally {
      this.#pending--;
      if (this.#pending === 0) this.#wakeIdle();
    }
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * A delay that ends early on close. Not unref'd: a pending retry is work someone may be
   * awaiting (idle()); close() clears every one, so nothing outlives the sandbox.
   */
  #sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      this.#sleepers.add(sleeper);
    });
  }
}

export interface StartSandboxOptions extends SandboxOptions {
  host?: string;
  port?: number;
  logger?: boolean;
}

export interface RunningSandbox {
  /** The base URL, without a trailing slash: the payment page is `${url}/p/...`, the API `${url}/api/v1/...`. */
  url: string;
  sandbox: AcquiringV1Sandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, `settle sandbox acquiring-v1`). */
export async function startAcquiringV1Sandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { host = '127.0.0.1', port = 0, logger = false, ...sandboxOpts } = opts;
  const sandbox = new AcquiringV1Sandbox(sandboxOpts);
  const app = Fastify({ logger, routerOptions: { maxParamLength: 256 }, forceCloseConnections: true });
  await app.register(sandbox.plugin);
  try {
    await app.listen({ host, port });
  } catch (err) {
    sandbox.close();
    await app.close();
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}`;
  return {
    url,
    sandbox,
    close: async () => {
      sandbox.close();
      await app.close();
    },
  };
}

// ---- helpers -----------------------------------------------------------------------------

function orderKey(shopId: string, orderId: string): string {
  return `${shopId.toLowerCase()} ${normalizeOrderId(orderId)}`;
}

function isHttpUrl(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(s.split('[OrderID]').join('x'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function shopProblem(s: Partial<SandboxShop>): string | undefined {
  if (typeof s !== 'object' || s === null) return 'a shop must be an object';
  if (typeof s.shopId !== 'string' || !/^\S{1,32}$/u.test(s.shopId))
    return 'shopId must be 1 to 32 characters without spaces';
  if (typeof s.privateKey !== 'string' || s.privateKey.length < 1 || s.privateKey.length > 128)
    return 'privateKey must be 1 to 128 characters';
  const urls: unknown[] = Array.isArray(s.callbackUrl) ? s.callbackUrl : [s.callbackUrl];
  if (urls.length < 1 || urls.length > CALLBACK_URLS_MAX || !urls.every(isHttpUrl)) {
    return `callbackUrl must be an http(s) URL or a list of 1 to ${CALLBACK_URLS_MAX} of them`;
  }
  if (s.returnUrl !== undefined && !isHttpUrl(s.returnUrl)) return 'returnUrl must be an http(s) URL';
  return undefined;
}

const SWITCH_KEYS: Record<keyof SandboxSwitches, 'ms' | 'bool' | 'status' | 'stale' | 'http' | 'code'> = {
  delayMs: 'ms',
  duplicate: 'bool',
  drop: 'bool',
  staleAfter: 'stale',
  checkError: 'status',
  cancelError: 'status',
  timeoutMs: 'ms',
  apiHttpStatus: 'http',
  declineCode: 'code',
};

function readSwitches(body: Record<string, unknown>): { orderId: string; switches: SandboxSwitches } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const orderId = body.orderId ?? '*';
  if (typeof orderId !== 'string' || (orderId !== '*' && !isOrderId(orderId)))
    return 'orderId must be "*" or an OrderID';
  const switches: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'orderId') continue;
    const kind = SWITCH_KEYS[k as keyof SandboxSwitches];
    const valid =
      kind === 'ms'
        ? Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 600_000
        : kind === 'bool'
          ? typeof v === 'boolean'
          : kind === 'status'
            ? typeof v === 'string' && v.length > 0 && v.length <= 256
            : kind === 'stale'
              ? v === true || (typeof v === 'string' && v.length > 0 && v.length <= 256)
              : kind === 'http'
                ? Number.isSafeInteger(v) && (v as number) >= 200 && (v as number) <= 599
                : kind === 'code'
                  ? typeof v === 'string' && DIGITS.test(v)
                  : false;
    if (!valid) return `switch ${k.slice(0, 40)} is unknown or has a bad value`;
    switches[k] = v;
  }
  return { orderId, switches: switches as SandboxSwitches };
}

// ---- pages -------------------------------------------------------------------------------

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · acquirer sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}form{display:inline}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style>
</head><body><p><small>Acquirer sandbox: no real money moves here.</small></p>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function sendPage(reply: FastifyReply, code: number, title: string, message: string): FastifyReply {
  return reply
    .code(code)
    .type('text/html; charset=utf-8')
    .send(layout(title, `<p data-testid="message">${escapeHtml(message)}</p>`));
}

function paymentPage(order: SandboxOrder, hash: string): string {
  // The forms post relative to this page's URL (…/[Amount]/[Hash]), so a mount prefix is kept.
  const action = (what: string) => escapeHtml(`${encodeURIComponent(hash)}/${what}`);
  return layout(
    'Payment',
    `<dl>
<dt>Shop</dt><dd data-testid="shop-id">${escapeHtml(order.shopId)}</dd>
<dt>Order</dt><dd data-testid="order-id">${escapeHtml(order.orderId)}</dd>
<dt>Amount</dt><dd data-testid="amount">${escapeHtml(order.amount)}</dd>
</dl>
<form method="post" action="${action('pay')}"><button type="submit" data-testid="pay-button">Pay</button></form>
<form method="post" action="${action('decline')}"><button type="submit" data-testid="decline-button">Decline</button></form>`,
  );
}
