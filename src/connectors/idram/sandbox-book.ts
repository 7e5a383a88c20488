// The sandbox's memory: the merchants Idram knows (their IdramID, SECRET_KEY and the three URLs
// its staff set up) and the bills their payment forms opened, with the checks the form gets.
import { Secret } from '../../domain/secret.js';
import { isHttpUrl } from '../kit/sandbox/server.js';
import { LANGUAGES } from './wire.js';

export interface SandboxMerchant {
  recAccount: string;
  secretKey: string;
  /** Where the pre-check and the confirmation are posted (Settle: {settle}/callbacks/{method}). */
  resultUrl: string;
  /** Where the browser goes after a payment, and after a decline or a refused pre-check. */
  successUrl: string;
  failUrl: string;
}

export interface Merchant {
  recAccount: string;
  key: Secret;
  resultUrl: string;
  successUrl: string;
  failUrl: string;
}

/** open: the form was posted; refused: the merchant's pre-check said no. */
export type BillStatus = 'open' | 'paid' | 'declined' | 'refused';

export interface SandboxBill {
  recAccount: string;
  billNo: string;
  /** EDP_AMOUNT as the form posted it ("1900.00"). */
  amount: string;
  description: string;
  language: string;
  email: string | undefined;
  /** The form's fields without the EDP_ prefix, which Idram hands back after the payment. */
  extra: Record<string, string>;
  status: BillStatus;
  /** Set once paid: what Idram reported in the confirmation. */
  paid?: { amount: string; transId: string; transDate: string; payerAccount: string };
}

/** Where the browser is sent after the page, and the bill as it then stands. */
export interface PageOutcome {
  bill: SandboxBill;
  redirect: string;
}

/** Idram's amount format: digits, a point and at most two decimals, above zero. */
export const AMOUNT = /^\d{1,15}(\.\d{1,2})?$/;
const EXTRA_MAX = 20;

export class MerchantBook {
  readonly #merchants = new Map<string, Merchant>();
  readonly #bills = new Map<string, SandboxBill>();

  /** Adds a merchant, or replaces the one with the same IdramID. Throws on bad input. */
  addMerchant(m: SandboxMerchant): void {
    const problem = merchantProblem(m);
    if (problem) throw new Error(`sandbox: ${problem}`);
    this.#merchants.set(m.recAccount, {
      recAccount: m.recAccount,
      key: new Secret(m.secretKey),
      resultUrl: m.resultUrl,
      successUrl: m.successUrl,
      failUrl: m.failUrl,
    });
  }

  merchant(recAccount: string): Merchant | undefined {
    return this.#merchants.get(recAccount);
  }

  merchantOrThrow(recAccount: string): Merchant {
    const m = this.merchant(recAccount);
    if (!m) throw new Error(`sandbox: unknown merchant ${recAccount}`);
    return m;
  }

  /** The bill itself (not a copy): the sandbox changes it in place. */
  bill(recAccount: string, billNo: string): SandboxBill | undefined {
    return this.#bills.get(billKey(recAccount, billNo));
  }

  /**
   * Opens the bill a payment form describes (again, for one not paid), or says why Idram refuses
   * the form. A paid bill is not opened again.
   */
  openFromForm(f: Record<string, unknown>): { merchant: Merchant; bill: SandboxBill } | string {
    const field = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
    const merchant = this.merchant(field('EDP_REC_ACCOUNT'));
    if (!merchant) return 'This merchant (EDP_REC_ACCOUNT) is not known to Idram.';
    const amount = field('EDP_AMOUNT');
    if (!AMOUNT.test(amount) || Number(amount) <= 0) return 'EDP_AMOUNT must be above zero, with a point for decimals.';
    const billNo = field('EDP_BILL_NO');
    if (billNo === '' || billNo.length > 256) return 'EDP_BILL_NO is missing.';
    const language = field('EDP_LANGUAGE');
    if (!(LANGUAGES as readonly string[]).includes(language)) return 'EDP_LANGUAGE must be AM, RU or EN.';
    const existing = this.bill(merchant.recAccount, billNo);
    if (existing?.status === 'paid') return `Bill ${billNo} is paid already.`;
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) {
      if (!k.startsWith('EDP_') && typeof v === 'string' && Object.keys(extra).length < EXTRA_MAX) extra[k] = v;
    }
    const bill: SandboxBill = {
      recAccount: merchant.recAccount,
      billNo,
      amount,
      description: field('EDP_DESCRIPTION'),
      language,
      email: field('EDP_EMAIL') || undefined,
      extra,
      status: 'open',
    };
    this.#bills.set(billKey(merchant.recAccount, billNo), bill);
    return { merchant, bill };
  }

  /** A bill the customer can still pay or decline. Throws otherwise. */
  payable(recAccount: string, billNo: string): { merchant: Merchant; bill: SandboxBill } {
    const merchant = this.merchantOrThrow(recAccount);
    const bill = this.bill(recAccount, billNo);
    if (!bill) throw new Error(`sandbox: no bill ${billNo} for ${recAccount} (post the payment form first)`);
    if (bill.status !== 'open') throw new Error(`sandbox: bill ${billNo} is ${bill.status}`);
    return { merchant, bill };
  }
}

function billKey(recAccount: string, billNo: string): string {
  return `${recAccount} ${billNo}`;
}

export function merchantProblem(m: Partial<SandboxMerchant>): string | undefined {
  if (typeof m !== 'object' || m === null) return 'a merchant must be an object';
  if (typeof m.recAccount !== 'string' || !/^[0-9]{1,32}$/.test(m.recAccount))
    return 'recAccount must be an IdramID (digits)';
  if (typeof m.secretKey !== 'string' || m.secretKey.length < 1 || m.secretKey.length > 128)
    return 'secretKey must be 1 to 128 characters';
  for (const k of ['resultUrl', 'successUrl', 'failUrl'] as const)
    if (!isHttpUrl(m[k])) return `${k} must be an http(s) URL`;
  return undefined;
}
