// BPC's wire formats for ArCa, all in one place: order numbers, amounts and currencies, the
// order statuses of getOrderStatusExtended.do and what each means to Settle.
import type { AttemptStatus } from '../../domain/attempt-status.js';
import { currencyFromNumeric, currencyNumeric } from '../../domain/currency.js';
import { isMinorAmount } from '../../domain/money.js';

/**
 * The longest orderNumber we send. The documents we could read do not give BPC's limit for
 * ArCa; 32 Latin letters, digits, "-" and "_" is the conservative choice (README.md).
 */
export const ORDER_NUMBER_MAX = 32;
const ORDER_NUMBER = /^[A-Za-z0-9_-]{1,32}$/;

export function isOrderNumber(s: string): boolean {
  return ORDER_NUMBER.test(s);
}

/** Settle's order references are unique without regard to case, so attempts are compared that way. */
export function normalizeOrderNumber(s: string): string {
  return s.toLowerCase();
}

/** BPC's order id (mdOrder): a UUID in its examples; any short run of letters, digits and hyphens here. */
const MD_ORDER = /^[A-Za-z0-9-]{1,64}$/;

export function isMdOrder(s: string): boolean {
  return MD_ORDER.test(s);
}

/** A positive integer of minor units of a currency with an ISO numeric code. */
export function isWireableAmount(amount: number, currency: string): boolean {
  return isMinorAmount(amount) && amount > 0 && currencyNumeric(currency) !== undefined;
}

/** Amounts go on the wire in minor units as they are: 150000 AMD (1500.00) is "150000". */
export function wireAmount(amount: number): string {
  return String(amount);
}

/** The ISO 4217 numeric code BPC takes ("051" for AMD). Validate first. */
export function wireCurrency(currency: string): string {
  const n = currencyNumeric(currency);
  if (n === undefined) throw new Error(`no numeric code for ${currency}`);
  return n;
}

/**
 * The currency BPC states: "051" or 51 → "AMD". One without a known code is kept as the digits
 * it came as, which never equal an alphabetic code, so a comparison fails and a person looks.
 */
export function statedCurrency(v: unknown): string | undefined {
  const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : undefined;
  if (text === undefined || text.length === 0) return undefined;
  return currencyFromNumeric(text) ?? text.slice(0, 8);
}

/** A count of minor units BPC states, as a JSON number or a string of digits. */
export function readMinor(v: unknown): number | undefined {
  if (typeof v === 'number') return isMinorAmount(v) ? v : undefined;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

/** BPC's errorCode (string or number); undefined when absent. "0" is success. */
export function readCode(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^-?\d{1,9}$/.test(v.trim())) return String(Number(v.trim()));
  if (v === undefined || v === null || v === '') return undefined;
  return 'unreadable';
}

const DESCRIPTION_MAX = 99;

/**
 * The order description as BPC takes it: at most 99 characters, without "%", "+", CR or LF
 * (the rule RBS gateways document for `description`; ArCa's own limit is not confirmed).
 */
export function wireDescription(text: string): string {
  return text
    .replace(/[%+\r\n\t]/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, DESCRIPTION_MAX);
}

/** What getOrderStatusExtended.do said about the money, beside orderStatus. */
export interface OrderAmounts {
  amount?: number;
  approved?: number;
  deposited?: number;
  refunded?: number;
}

/**
 * BPC's orderStatus in Settle's terms; exhaustive over the documented values, anything else is
 * `null` (recorded, moves nothing). `amount` is what the event reports as paid, so Settle can
 * compare it with the attempt:
 * - 0 registered, 5 ACS (3-D Secure) started, 7 pending: open, `pending`.
 * - 1 approved (held): `authorized`, with the approved amount.
 * - 2 deposited: `succeeded`, with the deposited amount.
 * - 3 reversed: `canceled`. 6 declined: `failed`.
 * - 4 refunded: it was paid, so `succeeded` (a succeeded attempt stays so; refunds are Settle's
 *   own records). The amount is what is left of it (deposited less refunded, 0 when BPC does not
 *   say): an attempt Settle had not seen paid is then held for a person, never fulfilled.
 * - 8 intermediate completion (several partial deposits, which Settle never makes): money moved,
 *   so `succeeded` with the deposited amount (0 when not stated), which holds it for a person.
 */
export function mapOrderStatus(
  orderStatus: number,
  a: OrderAmounts,
): { status: AttemptStatus | null; amount: number | undefined } {
  switch (orderStatus) {
    case 0:
    case 5:
    case 7:
      return { status: 'pending', amount: a.amount };
    case 1:
      return { status: 'authorized', amount: a.approved ?? a.amount };
    case 2:
      return { status: 'succeeded', amount: a.deposited ?? a.amount };
    case 3:
      return { status: 'canceled', amount: a.amount };
    case 4:
      return {
        status: 'succeeded',
        amount: a.deposited !== undefined && a.refunded !== undefined ? Math.max(0, a.deposited - a.refunded) : 0,
      };
    case 6:
      return { status: 'failed', amount: a.amount };
    case 8:
      return { status: 'succeeded', amount: a.deposited ?? 0 };
    default:
      return { status: null, amount: undefined };
  }
}

/** orderStatus as BPC sends it: a JSON number, or a string of digits. */
export function readOrderStatus(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,3}$/.test(v)) return Number(v);
  return undefined;
}
