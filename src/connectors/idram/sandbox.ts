// A stand-in for Idram over real HTTP: the payment page the form is posted to, the pre-check and
// the signed confirmation to the merchant's RESULT_URL, the browser sent to SUCCESS_URL or
// FAIL_URL with the bill number, and switches for the misbehaviour Settle must survive.
// For tests and the demo only: it keeps everything in memory and its control routes are open.
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { CallbackSender, type SandboxDelivery, type SenderOptions } from '../kit/sandbox/callback-sender.js';
import { prepareSandboxPlugin, serveSandbox, type ServeOptions } from '../kit/sandbox/server.js';
import {
  COMMON_SWITCH_KINDS,
  readSwitches,
  SwitchBoard,
  type CommonSwitches,
  type SwitchKind,
} from '../kit/sandbox/switches.js';
import {
  AMOUNT,
  merchantProblem,
  MerchantBook,
  type Merchant,
  type PageOutcome,
  type SandboxBill,
  type SandboxMerchant,
} from './sandbox-book.js';
import { ResultExchange, type Paid, type SandboxPrecheck } from './sandbox-exchange.js';
import { pageRoutes } from './sandbox-pages.js';
import { normalizeBillNo } from './wire.js';

export type { PageOutcome, SandboxBill, SandboxDelivery, SandboxMerchant, SandboxPrecheck };

/**
 * Misbehaviour, per bill number or for all ('*'). Delivery switches act on the confirmation;
 * `staleAfter` sends the pre-check again after it. Idram has no API, so no API switches.
 */
export interface SandboxSwitches extends Pick<CommonSwitches, 'delayMs' | 'duplicate' | 'drop'> {
  staleAfter?: true;
  /** Idram reports this amount ("1800.00") in the pre-check and in the (signed) confirmation. */
  reportAmount?: string;
  /** Send the confirmation without asking the pre-check first. */
  skipPrecheck?: boolean;
}

const SWITCH_KINDS: Record<keyof SandboxSwitches, SwitchKind> = {
  delayMs: COMMON_SWITCH_KINDS.delayMs,
  duplicate: COMMON_SWITCH_KINDS.duplicate,
  drop: COMMON_SWITCH_KINDS.drop,
  staleAfter: 'stale',
  reportAmount: 'status',
  skipPrecheck: 'bool',
};

export interface SandboxOptions extends SenderOptions {
  /** The customer's IdramID in confirmations (default 110000601). */
  payerAccount?: string;
  merchants?: SandboxMerchant[];
}

const FORM_LIMIT = 64 * 1024;

export class IdramSandbox {
  readonly #book = new MerchantBook();
  readonly #switches = new SwitchBoard<SandboxSwitches>(normalizeBillNo);
  readonly #sender: CallbackSender;
  readonly #closing = new AbortController();
  readonly #exchange: ResultExchange;
  readonly #payer: string;
  #transSeq = randomInt(1_000_000, 9_000_000) * 1_000_000;

  constructor(opts: SandboxOptions = {}) {
    // Idram documents no retry of the confirmation: one try unless told otherwise.
    this.#sender = new CallbackSender({ ...opts, retryAttempts: opts.retryAttempts ?? 1 });
    this.#exchange = new ResultExchange(this.#sender, opts.deliveryTimeoutMs ?? 5000, this.#closing.signal);
    this.#payer = opts.payerAccount ?? '110000601';
    for (const m of opts.merchants ?? []) this.addMerchant(m);
  }

  get closed(): boolean {
    return this.#sender.closed;
  }

  /** Adds a merchant, or replaces the one with the same IdramID. Throws on bad input. */
  addMerchant(m: SandboxMerchant): void {
    this.#book.addMerchant(m);
  }

  /** Replaces the switches of one bill number or, with '*', the global ones. `{}` clears. Throws on bad ones. */
  setSwitches(billNo: string, switches: SandboxSwitches): void {
    const problem = switchProblem(switches);
    if (problem) throw new Error(`sandbox: ${problem}`);
    this.#switches.set(billNo, switches);
  }

  /** Every confirmation try (and stale pre-check), oldest first. */
  get deliveries(): readonly SandboxDelivery[] {
    return this.#sender.deliveries;
  }

  /** Every pre-check and its answer, oldest first. */
  get prechecks(): readonly SandboxPrecheck[] {
    return this.#exchange.prechecks;
  }

  getBill(recAccount: string, billNo: string): SandboxBill | undefined {
    const b = this.#book.bill(recAccount, billNo);
    return b && { ...b, extra: { ...b.extra }, ...(b.paid && { paid: { ...b.paid } }) };
  }

  /** Opens a bill as the payment form does, without the page. Throws when Idram would refuse the form. */
  openBill(fields: Record<string, string>): SandboxBill {
    const opened = this.#book.openFromForm(fields);
    if (typeof opened === 'string') throw new Error(`sandbox: ${opened}`);
    return { ...opened.bill };
  }

  /**
   * The customer pays: the pre-check (unless skipped), and only on an answer of exactly "OK" the
   * money moves and the confirmation goes out. Resolves after its first try with where the
   * browser goes: SUCCESS_URL, or FAIL_URL when the pre-check said no.
   */
  async pay(recAccount: string, billNo: string): Promise<PageOutcome> {
    const { merchant, bill } = this.#book.payable(recAccount, billNo);
    const sw = this.#switches.for(bill.billNo);
    const amount = sw.reportAmount ?? bill.amount;
    if (!sw.skipPrecheck) {
      const asked = await this.#exchange.precheck(merchant, bill.billNo, amount);
      if (!asked.accepted) {
        bill.status = 'refused';
        return this.#outcome(merchant, bill, 'fail');
      }
    }
    const paid: Paid = { amount, transId: this.#nextTransId(), transDate: yerevanDate(), payerAccount: this.#payer };
    bill.status = 'paid';
    bill.paid = paid;
    await this.#exchange.confirm(merchant, bill, paid, sw);
    return this.#outcome(merchant, bill, 'success');
  }

  /** The customer declines (or fails to log in): nothing is sent to the merchant, the browser goes to FAIL_URL. */
  decline(recAccount: string, billNo: string): PageOutcome {
    const { merchant, bill } = this.#book.payable(recAccount, billNo);
    bill.status = 'declined';
    return this.#outcome(merchant, bill, 'fail');
  }

  /**
   * Sends one confirmation of the bill now, once, no retry, signed unless `checksum` is given (to
   * forge one), for the bill's amount unless `amount` is given. The bill is not changed.
   * Resolves with the receiver's HTTP status, or null on a network error.
   */
  sendConfirmation(
    recAccount: string,
    billNo: string,
    opts: { checksum?: string; amount?: string } = {},
  ): Promise<number | null> {
    const merchant = this.#book.merchantOrThrow(recAccount);
    const bill = this.#book.bill(recAccount, billNo);
    if (!bill) throw new Error(`sandbox: no bill ${billNo} for ${recAccount}`);
    const paid = bill.paid ?? {
      amount: bill.amount,
      transId: this.#nextTransId(),
      transDate: yerevanDate(),
      payerAccount: this.#payer,
    };
    return this.#exchange.sendConfirmation(
      merchant,
      bill,
      { ...paid, amount: opts.amount ?? paid.amount },
      opts.checksum,
    );
  }

  /** Resolves when no confirmation, pre-check, retry or delay is pending. */
  idle(): Promise<void> {
    return this.#sender.idle();
  }

  /** Cancels pending retries and delays and releases held answers. Idempotent. */
  close(): void {
    this.#closing.abort();
    this.#sender.close();
  }

  /** The routes, for `app.register(sandbox.plugin, { prefix })`. Encapsulated: its form parser stays inside. */
  readonly plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    prepareSandboxPlugin(app, () => this.close(), FORM_LIMIT);
    pageRoutes(app, {
      open: (fields) => this.#book.openFromForm(fields),
      pay: (rec, billNo) => this.pay(rec, billNo),
      decline: (rec, billNo) => this.decline(rec, billNo),
      bill: (rec, billNo) => this.#book.bill(rec, billNo),
    });
    this.#controlRoutes(app);
  };

  #controlRoutes(app: FastifyInstance): void {
    app.post('/_sandbox/merchants', async (req, reply) => {
      const body = (req.body ?? {}) as Partial<SandboxMerchant>;
      const problem = merchantProblem(body);
      if (problem) return reply.code(400).send({ error: problem });
      this.addMerchant(body as SandboxMerchant);
      return reply.code(201).send({ recAccount: body.recAccount });
    });
    app.post('/_sandbox/switches', async (req, reply) => {
      const read = readSwitches(req.body ?? {}, SWITCH_KINDS, (id) => id.length > 0 && id.length <= 256);
      const problem = typeof read === 'string' ? read : switchProblem(read.switches);
      if (typeof read === 'string' || problem) return reply.code(400).send({ error: problem });
      this.setSwitches(read.orderId, read.switches);
      return { billNo: read.orderId, switches: read.switches };
    });
    app.get('/_sandbox/deliveries', async () => this.deliveries);
    app.get('/_sandbox/prechecks', async () => this.prechecks);
  }

  #outcome(merchant: Merchant, bill: SandboxBill, where: 'success' | 'fail'): PageOutcome {
    // Integrations read EDP_BILL_NO from the return request; the sandbox puts it in the query.
    const url = new URL(where === 'success' ? merchant.successUrl : merchant.failUrl);
    url.searchParams.set('EDP_BILL_NO', bill.billNo);
    for (const [k, v] of Object.entries(bill.extra)) url.searchParams.set(k, v);
    return { bill: { ...bill }, redirect: url.toString() };
  }

  /** EDP_TRANS_ID: 14 digits, unique in this sandbox. */
  #nextTransId(): string {
    this.#transSeq += 1;
    return String(this.#transSeq).padStart(14, '0').slice(-14);
  }
}

export interface StartSandboxOptions extends SandboxOptions, ServeOptions {}

export interface RunningSandbox {
  /** The base URL, without a trailing slash: the payment form goes to `${url}/Payment/GetPayment`. */
  url: string;
  sandbox: IdramSandbox;
  close(): Promise<void>;
}

/** Runs the sandbox alone on its own port (tests, the demo). */
export async function startIdramSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { host, port, logger, ...sandboxOpts } = opts;
  const sandbox = new IdramSandbox(sandboxOpts);
  const served = await serveSandbox(sandbox.plugin, () => sandbox.close(), { host, port, logger });
  return { url: served.url, sandbox, close: served.close };
}

function switchProblem(sw: SandboxSwitches): string | undefined {
  if (sw.staleAfter !== undefined && sw.staleAfter !== true) return 'staleAfter can only be true';
  if (sw.reportAmount !== undefined && !AMOUNT.test(sw.reportAmount)) return 'reportAmount must be like "1800.00"';
  return undefined;
}

/** EDP_TRANS_DATE, dd/mm/yyyy, in Armenia's time zone. */
function yerevanDate(): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Yerevan',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date());
}
