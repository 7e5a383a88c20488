// A stand-in for ArCa's BPC gateway over real HTTP: the REST methods, the payment page and GET
// callbacks signed as the merchant is set up (HMAC-SHA256, RSA/SHA-512 or not at all), with
// switches for the misbehaviour Settle must survive. Tests and the demo only: memory, open control.
import { sign as rsaSign } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  CallbackSender,
  type OutgoingCallback,
  type SandboxDelivery,
  type SenderOptions,
} from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { SwitchBoard } from '../kit/sandbox/switches.js';
import { checksumText, hmacChecksum } from './checksum.js';
import { apiRoutes } from './sandbox-api.js';
import {
  decline,
  MerchantBook,
  merchantProblem,
  pay,
  type Merchant,
  type SandboxMerchant,
  type SandboxOrder,
} from './sandbox-book.js';
import type { SandboxKeys } from './sandbox-keys.js';
import { pageRoutes } from './sandbox-pages.js';
import { readArcaSwitches, type ArcaSwitches } from './sandbox-switches.js';
import { isOrderNumber, normalizeOrderNumber } from './wire.js';

export type { ArcaSwitches, SandboxDelivery, SandboxMerchant, SandboxOrder };

export interface ArcaSandboxOptions extends SenderOptions {
  merchants?: SandboxMerchant[];
  /** The actionCode of a decline (default 116). */
  declineCode?: number;
}

const FORM_LIMIT = 64 * 1024;
/** The alias the sandbox names its RSA key by in sign_alias (BPC sends the key's alias there). */
export const SANDBOX_SIGN_ALIAS = 'sandbox-rsa-1';

export class ArcaSandbox {
  readonly #book = new MerchantBook();
  readonly #switches = new SwitchBoard<ArcaSwitches>(normalizeOrderNumber);
  readonly #sender: CallbackSender;
  readonly #declineDefault: number;

  constructor(opts: ArcaSandboxOptions = {}) {
    this.#sender = new CallbackSender(opts);
    this.#declineDefault = opts.declineCode ?? 116;
    for (const m of opts.merchants ?? []) this.addMerchant(m);
  }

  /** Adds or replaces a merchant; answers its callback keys when it signs with RSA. Throws on bad input. */
  addMerchant(m: SandboxMerchant): SandboxKeys | undefined {
    return this.#book.addMerchant(m).keys;
  }

  /** The RSA keys a merchant's callbacks are signed with, if it has them. */
  keys(username: string): SandboxKeys | undefined {
    return this.#book.merchant(username)?.keys;
  }

  /** Replaces the switches of one orderNumber (case-insensitive) or, with '*', the global ones. `{}` clears. */
  setSwitches(orderNumber: string, switches: ArcaSwitches): void {
    this.#switches.set(orderNumber, switches);
  }

  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  /** A copy of an order, by mdOrder. */
  getOrder(mdOrder: string): SandboxOrder | undefined {
    const o = this.#book.order(mdOrder);
    return o && { ...o };
  }

  orderByNumber(username: string, orderNumber: string): SandboxOrder | undefined {
    const o = this.#book.orderByNumber(username, orderNumber);
    return o && { ...o };
  }

  /** The customer pays, as on the page; resolves after the first callback try. */
  async pay(mdOrder: string): Promise<SandboxOrder> {
    return this.#settle(this.#open(mdOrder), 'pay');
  }

  async decline(mdOrder: string): Promise<SandboxOrder> {
    return this.#settle(this.#open(mdOrder), 'decline');
  }

  /**
   * Sends one callback now, once, no retry, signed as the merchant is set up unless `checksum`
   * is given (to forge one). Resolves with the receiver's HTTP status, or null on a network error.
   */
  sendCallback(
    mdOrder: string,
    operation: string,
    status: '0' | '1',
    opts: { checksum?: string } = {},
  ): Promise<number | null> {
    const order = this.#book.order(mdOrder);
    const merchant = order && this.#book.merchant(order.username);
    if (!order || !merchant) throw new Error(`sandbox: no order ${mdOrder}`);
    const cb = callbackFor(merchant, order, `${operation}:${status}`, this.#switchesFor(order), opts.checksum);
    return this.#sender.sendOnce(merchant.callbackUrls, cb);
  }

  idle(): Promise<void> {
    return this.#sender.idle();
  }

  /** Cancels pending retries and delays and releases held answers. Idempotent. */
  close(): void {
    this.#sender.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. Encapsulated: its form parser stays inside. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), FORM_LIMIT);
    apiRoutes(app, {
      book: this.#book,
      switchesFor: (orderNumber) => this.#switches.for(orderNumber),
      sleep: (ms) => this.#sender.sleep(ms),
      formUrl: (base, o) =>
        `${base}/payment/merchants/${encodeURIComponent(o.username)}/payment_${o.language}.html?mdOrder=${encodeURIComponent(o.mdOrder)}`,
      notify: (o, operation, status) => this.#notify(o, operation, status),
    });
    pageRoutes(app, { book: this.#book, settle: async (o, outcome) => void (await this.#settle(o, outcome)) });
    this.#controlRoutes(app);
  };

  #controlRoutes(app: FastifyInstance): void {
    app.post('/_sandbox/merchants', async (req, reply) => {
      const body = (req.body ?? {}) as Partial<SandboxMerchant>;
      const problem = merchantProblem(body);
      if (problem) return reply.code(400).send({ error: problem });
      const keys = this.addMerchant(body as SandboxMerchant);
      return reply.code(201).send({ username: body.username, ...(keys && publicKeys(keys)) });
    });
    app.get('/_sandbox/merchants/:username/keys', async (req, reply) => {
      const keys = this.keys((req.params as Record<string, string>).username ?? '');
      return keys ? publicKeys(keys) : reply.code(404).send({ error: 'this merchant has no RSA keys' });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readArcaSwitches(req.body ?? {}, isOrderNumber);
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  }

  #switchesFor(o: SandboxOrder): ArcaSwitches {
    return this.#switches.for(o.orderNumber);
  }

  #open(mdOrder: string): SandboxOrder {
    const order = this.#book.order(mdOrder);
    if (!order) throw new Error(`sandbox: no order ${mdOrder}`);
    if (order.orderStatus !== 0) throw new Error(`sandbox: order ${mdOrder} is not open (${order.orderStatus})`);
    return order;
  }

  async #settle(order: SandboxOrder, outcome: 'pay' | 'decline'): Promise<SandboxOrder> {
    if (outcome === 'pay') pay(order);
    else decline(order, Number(this.#switchesFor(order).declineCode ?? this.#declineDefault));
    const operation = order.twoPhase ? 'approved' : 'deposited';
    await this.#notify(order, operation, outcome === 'pay' ? '1' : '0');
    return { ...order };
  }

  #notify(order: SandboxOrder, operation: string, status: '0' | '1'): Promise<void> {
    const merchant = this.#book.merchant(order.username);
    if (!merchant) return Promise.resolve();
    const sw = this.#switchesFor(order);
    const sign = (s: string) => callbackFor(merchant, order, s, sw);
    return this.#sender.notify(merchant.callbackUrls, `${operation}:${status}`, sign, sw, 'approved:1');
  }
}

/** The callback for `operation:status`, as a GET query: BPC's parameters, then the checksum. */
function callbackFor(
  m: Merchant,
  o: SandboxOrder,
  operationStatus: string,
  sw: ArcaSwitches,
  forged?: string,
): OutgoingCallback {
  const [operation = '', status = ''] = operationStatus.split(':');
  const params: [string, string][] = [
    ['mdOrder', o.mdOrder],
    ['orderNumber', o.orderNumber],
    ['operation', operation],
    ['status', status],
    ['amount', String(sw.reportAmount ?? o.amount)],
  ];
  const text = checksumText(params);
  if (forged !== undefined) params.push(['checksum', forged]);
  else if (m.keys) {
    const signature = rsaSign('sha512', Buffer.from(text, 'utf8'), m.keys.privateKey).toString('hex').toUpperCase();
    params.push(['checksum', signature], ['sign_alias', SANDBOX_SIGN_ALIAS]);
  } else if (m.hmacKey) params.push(['checksum', hmacChecksum(m.hmacKey, text)]);
  return {
    orderId: o.orderNumber,
    status: operationStatus,
    method: 'GET',
    query: new URLSearchParams(params).toString(),
    contentType: '',
    body: '',
  };
}

function publicKeys(k: SandboxKeys) {
  return { publicKeyPem: k.publicKeyPem, certificatePem: k.certificatePem, certificateBase64: k.certificateBase64 };
}

export interface StartArcaSandboxOptions extends ArcaSandboxOptions, ServeOptions {}

export interface RunningArcaSandbox {
  /** The base URL without a trailing slash: the API is `${url}/payment/rest`. */
  url: string;
  sandbox: ArcaSandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, the demo). */
export async function startArcaSandbox(opts: StartArcaSandboxOptions = {}): Promise<RunningArcaSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new ArcaSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
