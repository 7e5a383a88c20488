// What the sandbox posts to a merchant's RESULT_URL, as Idram does: the pre-check, whose answer
// body decides whether the payment goes ahead (only exactly "OK" with HTTP 200 does), then the
// confirmation signed with the merchant's SECRET_KEY, through the kit's sender (duplicate,
// drop, delay, a stale pre-check after it). Idram documents no retries, so by default there are none.
import type { CallbackSender, OutgoingCallback } from '../kit/sandbox/callback-sender.js';
import type { CommonSwitches } from '../kit/sandbox/switches.js';
import type { Merchant, SandboxBill } from './sandbox-book.js';
import { confirmationChecksum } from './wire.js';

/** One pre-check and what the merchant answered. */
export interface SandboxPrecheck {
  billNo: string;
  amount: string;
  /** null: network error or timeout. */
  httpStatus: number | null;
  /** The answer body, cut at 200 characters; null when none came. */
  answer: string | null;
  accepted: boolean;
  at: string;
}

/** The confirmation's fields once the money moved. */
export type Paid = NonNullable<SandboxBill['paid']>;

const FORM = 'application/x-www-form-urlencoded';
const LOG_MAX = 10_000;
const PRECHECK_STATUS = 'precheck';
const CONFIRMED_STATUS = 'paid';

export class ResultExchange {
  readonly #prechecks: SandboxPrecheck[] = [];

  constructor(
    private readonly sender: CallbackSender,
    private readonly timeoutMs: number,
    private readonly closing: AbortSignal,
  ) {}

  get prechecks(): readonly SandboxPrecheck[] {
    return this.#prechecks.map((p) => ({ ...p }));
  }

  /** Posts the pre-check and reads the answer: accepted only for HTTP 200 and a body of exactly "OK". */
  precheck(merchant: Merchant, billNo: string, amount: string): Promise<SandboxPrecheck> {
    return this.sender.track(async () => {
      const at = new Date().toISOString();
      let httpStatus: number | null = null;
      let answer: string | null = null;
      try {
        const res = await fetch(merchant.resultUrl, {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: precheckBody(merchant, billNo, amount),
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing]),
        });
        httpStatus = res.status;
        answer = (await res.text()).slice(0, 200);
      } catch {
        // No answer: the payment does not go ahead.
      }
      const entry = { billNo, amount, httpStatus, answer, accepted: httpStatus === 200 && answer === 'OK', at };
      this.#prechecks.push(entry);
      if (this.#prechecks.length > LOG_MAX) this.#prechecks.splice(0, this.#prechecks.length - LOG_MAX);
      return { ...entry };
    });
  }

  /**
   * Sends the confirmation in the background as the switches say (`staleAfter`: the pre-check
   * again after it). Resolves after its first try, at once when delayed or dropped.
   */
  confirm(merchant: Merchant, bill: SandboxBill, paid: Paid, sw: CommonSwitches): Promise<void> {
    const sign = (status: string) =>
      status === PRECHECK_STATUS
        ? precheckCallback(merchant, bill.billNo, paid.amount)
        : confirmation(merchant, bill, paid);
    return this.sender.notify([merchant.resultUrl], CONFIRMED_STATUS, sign, sw, PRECHECK_STATUS);
  }

  /** One confirmation now, once, no retry; `checksum` replaces the real one (to forge it). */
  sendConfirmation(merchant: Merchant, bill: SandboxBill, paid: Paid, checksum?: string): Promise<number | null> {
    return this.sender.sendOnce([merchant.resultUrl], confirmation(merchant, bill, paid, checksum));
  }
}

function precheckBody(merchant: Merchant, billNo: string, amount: string): string {
  return new URLSearchParams({
    EDP_PRECHECK: 'YES',
    EDP_BILL_NO: billNo,
    EDP_REC_ACCOUNT: merchant.recAccount,
    EDP_AMOUNT: amount,
  }).toString();
}

function precheckCallback(merchant: Merchant, billNo: string, amount: string): OutgoingCallback {
  return { orderId: billNo, status: PRECHECK_STATUS, contentType: FORM, body: precheckBody(merchant, billNo, amount) };
}

/** The confirmation, signed (upper-case hex) unless a forged checksum is given. */
function confirmation(merchant: Merchant, bill: SandboxBill, paid: Paid, forged?: string): OutgoingCallback {
  const fields = {
    recAccount: merchant.recAccount,
    amount: paid.amount,
    billNo: bill.billNo,
    payerAccount: paid.payerAccount,
    transId: paid.transId,
    transDate: paid.transDate,
  };
  const checksum = forged ?? confirmationChecksum(merchant.key, fields).toUpperCase();
  const body = new URLSearchParams({
    EDP_BILL_NO: fields.billNo,
    EDP_REC_ACCOUNT: fields.recAccount,
    EDP_PAYER_ACCOUNT: fields.payerAccount,
    EDP_AMOUNT: fields.amount,
    EDP_TRANS_ID: fields.transId,
    EDP_TRANS_DATE: fields.transDate,
    EDP_CHECKSUM: checksum,
    ...bill.extra,
  });
  return { orderId: bill.billNo, status: CONFIRMED_STATUS, contentType: FORM, body: body.toString() };
}
