// Idram's wire formats, all in one place: amounts, bill numbers, the confirmation's checksum.
// md5 is Idram's choice, not ours; it is confined to this file. Settle's own signatures use
// HMAC-SHA256.
import { createHash, timingSafeEqual } from 'node:crypto';
import { formatDecimal, isMinorAmount, parseDecimal } from '../../domain/money.js';
import type { Secret } from '../../domain/secret.js';

/** Idram takes Armenian drams only (its wallet is in AMD; the form has no currency field). */
export const CURRENCY = 'AMD';

export const LANGUAGES = ['AM', 'RU', 'EN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The longest EDP_BILL_NO we send. Idram documents none; 64 is Settle's reference limit. */
export const BILL_NO_MAX = 64;

// Idram says only "bill ID according to [the merchant's] accounting system". Its examples are
// digits ("1806"); a published shop module sends "<order>-<n>". Latin letters, digits and the
// hyphen, nothing else: above all never ":", which joins the checksum's fields.
const BILL_NO = /^[A-Za-z0-9-]{1,64}$/;

export function isBillNo(s: string): boolean {
  return BILL_NO.test(s);
}

/**
 * Bill numbers are compared without regard to case: Settle's order references are unique that
 * way, so no two attempts differ only by case. (Whether Idram compares them so is not documented.)
 */
export function normalizeBillNo(s: string): string {
  return s.toLowerCase();
}

/** A positive integer of minor units (AMD has two decimals). */
export function isWireableAmount(amount: number): boolean {
  return isMinorAmount(amount) && amount > 0;
}

/** EDP_AMOUNT as sent: "1900.00" for 190000 (a point, two decimals, as Idram's confirmation has it). */
export function wireAmount(amount: number): string {
  return formatDecimal(amount, CURRENCY);
}

// Digits, then optionally a point and decimals: "1900", "1900.0", "1900.00". No sign, spaces,
// thousands separators or exponent. Decimals beyond the second must be zeros ("1900.000").
const AMOUNT = /^\d{1,15}(?:\.\d{1,6})?$/;

/** EDP_AMOUNT as received, read exactly into minor units; undefined for anything else. */
export function readAmount(text: string): number | undefined {
  if (!AMOUNT.test(text)) return undefined;
  return parseDecimal(text, CURRENCY);
}

/** The confirmation's fields the checksum covers, as received. */
export interface SignedFields {
  recAccount: string;
  amount: string;
  billNo: string;
  payerAccount: string;
  transId: string;
  transDate: string;
}

/**
 * EDP_CHECKSUM: MD5 of EDP_REC_ACCOUNT:EDP_AMOUNT:SECRET_KEY:EDP_BILL_NO:EDP_PAYER_ACCOUNT:
 * EDP_TRANS_ID:EDP_TRANS_DATE, lower-case hex, over the strings exactly as received.
 */
export function confirmationChecksum(secret: Secret, f: SignedFields): string {
  const text = [f.recAccount, f.amount, secret.reveal(), f.billNo, f.payerAccount, f.transId, f.transDate].join(':');
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * The fields are joined by ":" with nothing escaped, so a ":" inside one would let the same
 * checksum be read with the fields split elsewhere (a bill "A:B" replayed as bill "A"). Every
 * field before the last must be free of it; the date, last, is then fixed by the others.
 */
export function isUnambiguous(f: SignedFields): boolean {
  return [f.recAccount, f.amount, f.billNo, f.payerAccount, f.transId].every((v) => !v.includes(':'));
}

const HEX = /^[0-9a-f]*$/;

/**
 * Compares two hex checksums in constant time, without regard to case (integrations upper-case
 * both sides). Anything that is not hex, or not of the expected length, is simply unequal.
 */
export function checksumEquals(expected: string, given: string): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = expected.toLowerCase();
  const b = given.toLowerCase();
  if (a.length === 0 || a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/** What Settle answers: "OK" (Idram's only yes), or this short refusal to a pre-check. */
export const ANSWER_OK = 'OK';
export const ANSWER_REFUSED = 'NO';
