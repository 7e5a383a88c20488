// A stand-in for T-Bank's internet acquiring over real HTTP: Init, GetState and Cancel checked by
// TerminalKey and Token, the payment page, and notifications signed by Token and retried until
// answered HTTP 200 "OK", with switches for the misbehaviour Settle must survive. Tests and the
// demo only: memory, open control routes.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  CallbackSender,
  type OutgoingCallback,
  type SandboxDelivery,
  type SenderOptions,
} from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import { SwitchBoard } from '../kit/sandbox/switches.js';
import { apiRoutes } from './sandbox-api.js';
import { TerminalBook, type SandboxPayment, type SandboxTerminal } from './sandbox-book.js';
import { pageRoutes } from './sandbox-pages.js';
import { readReportSwitches } from '../kit/sandbox/report-switches.js';
import type { TBankSwitches } from './sandbox-switches.js';
import { isOrderId, tbankToken } from './wire.js';

export type { SandboxDelivery, SandboxPayment, SandboxTerminal, TBankSwitches };

const BODY_LIMIT = 64 * 1024;
/** The card the sandbox "pays" with, as T-Bank masks it. */
const CARD = { CardId: 322264, Pan: '430000******0777', ExpDate: '1130' };

export class TBankSandbox {
  readonly #book = new TerminalBook();
  readonly #switches = new SwitchBoard<TBankSwitches>((id) => id);
  readonly #sender: CallbackSender;

  constructor(opts: SenderOptions & { terminals?: SandboxTerminal[] } = {}) {
    this.#sender = new CallbackSender(opts);
    for (const t of opts.terminals ?? []) this.addTerminal(t);
  }

  addTerminal(t: SandboxTerminal): void {
    if (!t.terminalKey || !t.password) throw new Error('sandbox: a terminal needs terminalKey and password');
    this.#book.addTerminal(t);
  }

  /** Replaces the switches of one OrderId or, with '*', the global ones. `{}` clears. */
  setSwitches(orderId: string, switches: TBankSwitches): void {
    this.#switches.set(orderId, switches);
  }

  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  /** A copy of the payment of this terminal's OrderId. */
  paymentOf(terminalKey: string, orderId: string): SandboxPayment | undefined {
    const p = this.#book.byOrder(terminalKey, orderId);
    return p && { ...p, cancels: new Map(p.cancels) };
  }

  /** The customer pays, as on the page; resolves after the first try of the last notification. */
  pay(paymentId: string): Promise<void> {
    return this.#settle(this.#open(paymentId), 'pay');
  }

  decline(paymentId: string): Promise<void> {
    return this.#settle(this.#open(paymentId), 'decline');
  }

  /** One notification of the payment's status now, no retry; `token` forges it. Resolves with Settle's HTTP status. */
  sendNotification(paymentId: string, opts: { token?: string } = {}): Promise<number | null> {
    const p = this.#book.payment(paymentId);
    if (!p?.notificationUrl) throw new Error(`sandbox: no payment ${paymentId} with a NotificationURL`);
    return this.#sender.sendOnce([p.notificationUrl], this.#notification(p, p.status, opts.token));
  }

  idle(): Promise<void> {
    return this.#sender.idle();
  }

  close(): void {
    this.#sender.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), BODY_LIMIT);
    apiRoutes(app, {
      book: this.#book,
      switchesFor: (orderId) => this.#switches.for(orderId),
      sleep: (ms) => this.#sender.sleep(ms),
      paymentUrl: (base, p) => `${base}/pay/${encodeURIComponent(p.paymentId)}`,
      notify: (p) => this.#notify(p, p.status),
    });
    pageRoutes(app, { book: this.#book, settle: (p, outcome) => this.#settle(p, outcome) });
    app.post('/_sandbox/merchants', async (req, reply) => {
      const body = (req.body ?? {}) as Partial<SandboxTerminal>;
      if (
        typeof body.terminalKey !== 'string' ||
        typeof body.password !== 'string' ||
        !body.terminalKey ||
        !body.password
      )
        return reply.code(400).send({ error: 'terminalKey and password are required strings' });
      this.addTerminal({ terminalKey: body.terminalKey, password: body.password });
      return reply.code(201).send({ terminalKey: body.terminalKey });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readReportSwitches(req.body ?? {}, isOrderId, { currency: false });
      if (typeof read === 'string') return reply.code(400).send({ error: read });
      this.setSwitches(read.orderId, read.switches);
      return { orderId: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
  };

  #open(paymentId: string): SandboxPayment {
    const p = this.#book.payment(paymentId);
    if (!p) throw new Error(`sandbox: no payment ${paymentId}`);
    return p;
  }

  async #settle(p: SandboxPayment, outcome: 'pay' | 'decline'): Promise<void> {
    if (outcome === 'decline') {
      p.status = 'REJECTED';
      return this.#notify(p, 'REJECTED');
    }
    // One-stage: T-Bank notifies AUTHORIZED, then CONFIRMED.
    p.status = 'CONFIRMED';
    await this.#notify(p, 'AUTHORIZED');
    return this.#notify(p, 'CONFIRMED');
  }

  #notify(p: SandboxPayment, status: string): Promise<void> {
    if (!p.notificationUrl) return Promise.resolve();
    const sw = this.#switches.for(p.orderId);
    return this.#sender.notify([p.notificationUrl], status, (s) => this.#notification(p, s), sw, 'AUTHORIZED');
  }

  /** The notification of `status`, signed with the terminal's password (or `forged`). */
  #notification(p: SandboxPayment, status: string, forged?: string): OutgoingCallback {
    const terminal = this.#book.terminal(p.terminalKey)!;
    const sw = this.#switches.for(p.orderId);
    const failed = status === 'REJECTED';
    const fields: Record<string, unknown> = {
      TerminalKey: p.terminalKey,
      OrderId: p.orderId,
      Success: !failed,
      Status: status,
      PaymentId: Number(p.paymentId),
      ErrorCode: failed ? '1051' : '0',
      Amount: sw.reportAmount ?? p.amount,
      ...CARD,
    };
    if (failed) fields.Message = 'Недостаточно средств';
    fields.Token = forged ?? tbankToken(fields, terminal.password);
    return {
      orderId: p.orderId,
      status,
      contentType: 'application/json',
      body: JSON.stringify(fields),
      acknowledges: (httpStatus, body) => httpStatus === 200 && body.trim() === 'OK',
    };
  }
}

export interface RunningTBankSandbox {
  /** The base URL without a trailing slash: the API is `${url}/v2`. */
  url: string;
  sandbox: TBankSandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, the demo, `settle sandbox tbank`). */
export async function startTBankSandbox(
  opts: SenderOptions & ServeOptions & { terminals?: SandboxTerminal[] } = {},
): Promise<RunningTBankSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new TBankSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}
