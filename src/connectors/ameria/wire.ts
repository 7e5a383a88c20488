// Ameriabank vPOS 3.1 wire formats, all in one place: amounts (major units as JSON numbers),
// OrderIDs, PaymentIDs, currencies (ISO numeric) and the OrderStatus table.
import type { AttemptStatus } from '../../domain/attempt-status.js';
import { currencyFromNumeric, currencyNumeric, isCurrency } from '../../domain/currency.js';
import { formatDecimal, isMinorAmount, parseDecimal } from '../../domain/money.js';

/** The currencies the protocol document lists for InitPayment (051 is the bank's default). */
export const AMERIA_CURRENCIES = ['AMD', 'EUR', 'USD', 'RUB'] as const;

const ORDER_ID = /^[1-9]\d{0,15}$/;

/** An OrderID as Settle sends it: a positive safe integer in decimal, without leading zeros. */
export function isOrderId(s: string): boolean {
  return ORDER_ID.test(s) && Number.isSafeInteger(Number(s));
}

/** OrderIDs are numbers: "007" and "7" are the same order. Anything else is kept as it is. */
export function normalizeOrderId(s: string): string {
  return /^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : s;
}

const PAYMENT_ID = /^[0-9A-Za-z-]{1,64}$/;

/** The bank's PaymentID: a GUID in every observed answer; letters, digits and hyphens, 1..64. */
export function isPaymentId(s: unknown): s is string {
  return typeof s === 'string' && PAYMENT_ID.test(s);
}

/** The ISO numeric code the bank wants ("051" for AMD), for the currencies it documents. */
export function wireCurrency(currency: string): string | undefined {
  return (AMERIA_CURRENCIES as readonly string[]).includes(currency) ? currencyNumeric(currency) : undefined;
}

/**
 * A currency as an answer states it ("051", or 51 as a number): its alphabetic code, or the raw
 * text when it is not one we know, so it never equals the payment's currency by accident.
 */
export function readCurrency(raw: unknown): string {
  const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : typeof raw === 'string' ? raw : '';
  const code = currencyFromNumeric(text.trim());
  if (code) return code;
  return text === '' ? '(none)' : `numeric ${text.slice(0, 8)}`;
}

/**
 * The amount as the JSON number the bank takes, in major units (150000 AMD → 1500): built from
 * the exact decimal text, and only when that number reads back to the same minor amount (so a
 * float never changes the money). Undefined for anything the wire cannot carry exactly.
 */
export function wireAmount(amount: number, currency: string): number | undefined {
  if (!isMinorAmount(amount) || amount <= 0 || !isCurrency(currency)) return undefined;
  const n = Number(formatDecimal(amount, currency));
  return readAmount(n, currency) === amount ? n : undefined;
}

/**
 * An amount in an answer, in minor units, exactly: a JSON number is read through its shortest
 * decimal form (what the bank wrote, for any amount of up to 15 significant digits), a decimal
 * string as it is. Undefined when it is neither, negative, or finer than the currency's unit.
 */
export function readAmount(raw: unknown, currency: string): number | undefined {
  if (!isCurrency(currency)) return undefined;
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return undefined;
    text = String(raw);
  } else if (typeof raw === 'string') text = raw.trim();
  else return undefined;
  const minor = parseDecimal(text, currency);
  return minor !== undefined && minor >= 0 ? minor : undefined;
}

/** Table 2 of the protocol document: OrderStatus codes and their PaymentState names. */
export const ORDER_STATUSES = {
  0: 'payment_started',
  1: 'payment_approved',
  2: 'payment_deposited',
  3: 'payment_void',
  4: 'payment_refunded',
  5: 'payment_autoauthorized',
  6: 'payment_declined',
} as const;
export type OrderStatus = keyof typeof ORDER_STATUSES;

/** OrderStatus as an answer states it: "2" (observed) or 2 (the document's type). Undefined when neither. */
export function readOrderStatus(raw: unknown): OrderStatus | 'undocumented' | undefined {
  let text: string;
  if (typeof raw === 'number' && Number.isInteger(raw)) text = String(raw);
  else if (typeof raw === 'string') text = raw.trim();
  else return undefined;
  if (text === '') return undefined;
  return /^[0-6]$/.test(text) ? (Number(text) as OrderStatus) : 'undocumented';
}

/**
 * The bank's status in Settle's terms; exhaustive, no default branch. 1 is a hold (two-stage
 * payments), 2 money taken; 4 means at least part was refunded after it was taken (observed on a
 * partial refund), so the payment itself was made: refunds are Settle's own records. 5 is the
 * card issuer's 3-D Secure step, still under way.
 */
export function mapOrderStatus(s: OrderStatus): AttemptStatus {
  switch (s) {
    case 0:
      return 'pending';
    case 1:
      return 'authorized';
    case 2:
      return 'succeeded';
    case 3:
      return 'canceled';
    case 4:
      return 'succeeded';
    case 5:
      return 'pending';
    case 6:
      return 'failed';
  }
}

/** InitPayment's ResponseCode is an integer, 1 on success (the document and observed answers). */
export function isInitSuccess(code: unknown): boolean {
  return code === 1 || code === '1';
}

/** Every other call answers a string ResponseCode, "00" on success. */
export function isSuccessCode(code: unknown): boolean {
  return code === '00';
}

/** A ResponseCode as text for messages and details: a short string or integer, else undefined. */
export function responseCodeText(code: unknown): string | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  if (typeof code === 'string' && code.length > 0 && code.length <= 32) return code;
  return undefined;
}

/** A short, single-line excerpt of the bank's message, or undefined. */
export function messageText(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const line = message.replace(/\s+/g, ' ').trim();
  return line === '' ? undefined : line.slice(0, 200);
}

/** A JSON object, or undefined for anything else. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
