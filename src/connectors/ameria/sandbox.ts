// A stand-in for Ameriabank vPOS 3.1 over real HTTP: InitPayment, the payment page and the
// browser's return to BackURL, GetPaymentDetails, ConfirmPayment, CancelPayment, RefundPayment,
// with switches for the misbehaviour Settle must survive. There are no callbacks to send: the
// bank has none. For tests and the demo only: everything in memory, control routes open.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { isCurrency } from '../../domain/currency.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { readSwitches, SwitchBoard, type CommonSwitches, type SwitchKind } from '../kit/sandbox/switches.js';
import { apiRoutes, type ApiSwitches } from './sandbox-api.js';
import { merchantProblem, SANDBOX_CODES, VposBook, type SandboxMerchant, type SandboxPayment } from './sandbox-book.js';
import { pageRoutes } from './sandbox-pages.js';
import { isOrderId, normalizeOrderId } from './wire.js';

export type { SandboxMerchant, SandboxPayment };

/**
 * Misbehaviour, per OrderID or for all ('*'). The kit's API switches (the delivery ones have
 * nothing to act on: no callbacks) and this protocol's own.
 */
export interface AmeriaSwitches extends Pick<CommonSwitches, 'timeoutMs' | 'apiHttpStatus'>, ApiSwitches {
  /** Report this amount (minor units) in GetPaymentDetails instead of the payment's. */
  reportAmount?: number;
  /** Report this currency (ISO alphabetic) in GetPaymentDetails instead of the payment's. */
  reportCurrency?: string;
  /** Refuse InitPayment with this (integer) ResponseCode. */
  initError?: string;
  /** Refuse ConfirmPayment / CancelPayment / RefundPayment with this ResponseCode, doing nothing. */
  confirmError?: string;
  cancelError?: string;
  refundError?: string;
  /** The ResponseCode a declined card gets (default "0116", not enough money). */
  declineCode?: string;
  /** Answer GetPaymentDetails of a payment whose page was never opened with HTTP 500, as observed live. */
  unattemptedFault?: boolean;
}

type KitRead = Omit<AmeriaSwitches, 'reportAmount' | 'reportCurrency'>;
const SWITCH_KINDS: Record<keyof KitRead, SwitchKind> = {
  timeoutMs: 'ms',
  apiHttpStatus: 'http',
  initError: 'code',
  confirmError: 'status',
  cancelError: 'status',
  refundError: 'status',
  declineCode: 'status',
  unattemptedFault: 'bool',
};

export interface SandboxOptions {
  merchants?: SandboxMerchant[];
  /** The clock (ms), for session timeouts and the cancel window. */
  now?: () => number;
}

const FORM_LIMIT = 16 * 1024;

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class AmeriaSandbox {
  readonly #book: VposBook;
  readonly #switches = new SwitchBoard<AmeriaSwitches>(normalizeOrderId);
  readonly #sleepers = new Set<Sleeper>();
  readonly #now: () => number;
  #closed = false;

  constructor(opts: SandboxOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#book = new VposBook(this.#now);
    for (const m of opts.merchants ?? []) this.addMerchant(m);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds a merchant, or replaces the one with the same ClientID. Throws on bad input. */
  addMerchant(m: SandboxMerchant): void {
    this.#book.addMerchant(m);
  }

  /** Replaces the switches of one OrderID or, with '*', the global ones. `{}` clears. */
  setSwitches(orderId: string, switches: AmeriaSwitches): void {
    this.#switches.set(orderId, switches);
  }

  /** A copy of one payment, by PaymentID (either case). */
  getPayment(paymentId: string): SandboxPayment | undefined {
    const p = this.#book.payment(paymentId);
    return p && { ...p };
  }

  /** The customer pays on the page (without it); returns where the browser is sent, if anywhere. */
  pay(paymentId: string): string | undefined {
    const p = this.#open(paymentId);
    this.#book.pay(p);
    return this.#book.backUrl(p);
  }

  /** The customer's card is declined (without the page); as `pay` otherwise. */
  decline(paymentId: string, code?: string): string | undefined {
    const p = this.#open(paymentId);
    this.#book.decline(p, code ?? this.#declineCode(p));
    return this.#book.backUrl(p);
  }

  /** Releases held answers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#sleepers) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleepers.clear();
  }

  stop(): void {
    this.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. Encapsulated: its form parser stays inside. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), FORM_LIMIT);
    pageRoutes(app, { book: this.#book, declineCode: (p) => this.#declineCode(p) });
    apiRoutes(app, {
      book: this.#book,
      switchesFor: (orderId) => this.#switches.for(orderId === undefined ? '*' : String(orderId)),
      sleep: (ms) => this.#sleep(ms),
      now: this.#now,
    });
    this.#controlRoutes(app);
  };

  #controlRoutes(app: FastifyInstance): void {
    app.post('/_sandbox/merchants', async (req, reply) => {
      const body = (req.body ?? {}) as Partial<SandboxMerchant>;
      const problem = merchantProblem(body);
      if (problem) return reply.code(400).send({ error: problem });
      this.addMerchant(body as SandboxMerchant);
      return reply.code(201).send({ clientId: body.clientId });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readAmeriaSwitches(req.body);
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return read;
    });
    app.get('/_sandbox/payments/:paymentId', async (req, reply) => {
      const p = this.getPayment((req.params as { paymentId: string }).paymentId);
      return p ?? reply.code(404).send({ error: 'no such payment' });
    });
  }

  #open(paymentId: string): SandboxPayment {
    const p = this.#book.payment(paymentId);
    if (!p) throw new Error(`sandbox: no payment ${paymentId}`);
    if (p.orderStatus !== 0)
      throw new Error(`sandbox: payment ${paymentId} is not open (OrderStatus ${p.orderStatus})`);
    p.attempted = true;
    return p;
  }

  #declineCode(p: SandboxPayment): string {
    return this.#switches.for(String(p.orderId)).declineCode ?? SANDBOX_CODES.declined;
  }

  /** A delay that ends early on close, so no held answer outlives the sandbox. */
  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
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

/** The control route's body: the kit's reading for most switches, and the two amounts of a report. */
export function readAmeriaSwitches(body: unknown): { orderId: string; switches: AmeriaSwitches } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const { reportAmount, reportCurrency, ...rest } = body as Record<string, unknown>;
  if (reportAmount !== undefined && !(Number.isSafeInteger(reportAmount) && (reportAmount as number) >= 0))
    return 'switch reportAmount must be a non-negative integer of minor units';
  if (reportCurrency !== undefined && !(typeof reportCurrency === 'string' && isCurrency(reportCurrency)))
    return 'switch reportCurrency must be an ISO 4217 alphabetic code';
  const read = readSwitches<KitRead>(rest, SWITCH_KINDS, isOrderId);
  if (typeof read === 'string') return read;
  const switches: AmeriaSwitches = {
    ...read.switches,
    ...(reportAmount !== undefined && { reportAmount: reportAmount as number }),
    ...(reportCurrency !== undefined && { reportCurrency: reportCurrency as string }),
  };
  return { orderId: read.orderId, switches };
}

export interface StartSandboxOptions extends SandboxOptions, ServeOptions {}

export interface RunningSandbox {
  /** The vPOS root, without a trailing slash: the settings' api_base_url. */
  url: string;
  sandbox: AmeriaSandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, the conformance driver). */
export async function startAmeriaSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new AmeriaSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
