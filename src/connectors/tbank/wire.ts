// T-Bank internet acquiring v2 on the wire: the Token that signs every request and notification,
// amounts, order and payment ids, and what each payment status means in Settle's terms.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttemptStatus } from '../../domain/attempt-status.js';

/** T-Bank takes roubles only on this API: Init has no currency field (the terminal's is RUB). */
export const TBANK_CURRENCIES = ['RUB'] as const;

/** OrderId: T-Bank documents "unique per operation"; Settle sends Latin letters, digits, "-" and "_", 1..36. */
export const ORDER_ID_MAX = 36;
const ORDER_ID = /^[A-Za-z0-9_-]{1,36}$/;
export const isOrderId = (s: string): boolean => ORDER_ID.test(s);

/** PaymentId: T-Bank's own id, digits (sent as a JSON number in notifications, a string in answers). */
const PAYMENT_ID = /^[0-9]{1,20}$/;
export const isPaymentId = (s: string): boolean => PAYMENT_ID.test(s);

/** A JSON value as T-Bank gives an id: a digit string, or a safe non-negative integer. */
export function readPaymentId(v: unknown): string | undefined {
  if (typeof v === 'string') return isPaymentId(v) ? v : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/**
 * A token field's value as T-Bank concatenates it: strings as they are, booleans as `true` /
 * `false`, numbers as their JSON text. Only integers are read: every number T-Bank signs (Amount
 * in kopecks, PaymentId, CardId, RebillId) is one, and a fraction's JSON text is not recoverable
 * after JSON.parse ("1.10" reads as 1.1), so a fraction cannot be signed over exactly.
 */
function tokenValue(v: unknown): string | undefined | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : null;
  return undefined; // objects, arrays and null are not signed
}

/**
 * The Token: the root-level scalar fields (no Token, no nested object such as DATA or Receipt)
 * plus Password, sorted by key, the values concatenated, SHA-256, lower-case hex. Null when a
 * field cannot be signed exactly (a number that is not a safe integer).
 */
export function tbankToken(fields: Record<string, unknown>, password: string): string | null {
  const pairs: [string, string][] = [['Password', password]];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'Token' || k === 'Password') continue;
    const text = tokenValue(v);
    if (text === null) return null;
    if (text !== undefined) pairs.push([k, text]);
  }
  // Keys are ASCII: a plain code-unit sort is T-Bank's order.
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(pairs.map(([, v]) => v).join(''), 'utf8')
    .digest('hex');
}

/** A received Token against the expected one, in constant time, without regard to case. */
export function tokenMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]{64}$/.test(received)) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'latin1'), Buffer.from(expected, 'latin1'));
}

/** Amount: RUB minor units are kopecks, T-Bank's unit: the same integer, sent as a JSON number. */
export const isWireableAmount = (amount: number, currency: string): boolean =>
  currency === 'RUB' && Number.isSafeInteger(amount) && amount > 0;

/** An Amount as received: a safe non-negative integer of kopecks, or -1 (never matches an attempt). */
export function readAmount(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : -1;
}

/**
 * T-Bank's payment statuses in Settle's terms. `trigger`: money went back after a payment
 * (refunds): not a status of the attempt, which stays paid; Settle re-reads the payment and its
 * pending refunds. null: recorded, moves nothing (a partial reversal of a hold Settle never makes).
 */
export type StatusMeaning = { kind: 'status'; status: AttemptStatus | null } | { kind: 'trigger' };

const STATUS_MEANING: Record<string, StatusMeaning> = {
  NEW: { kind: 'status', status: 'pending' },
  FORM_SHOWED: { kind: 'status', status: 'pending' },
  AUTHORIZING: { kind: 'status', status: 'pending' },
  '3DS_CHECKING': { kind: 'status', status: 'pending' },
  '3DS_CHECKED': { kind: 'status', status: 'pending' },
  AUTHORIZED: { kind: 'status', status: 'authorized' },
  CONFIRMING: { kind: 'status', status: 'authorized' },
  CONFIRMED: { kind: 'status', status: 'succeeded' },
  REVERSING: { kind: 'status', status: 'authorized' },
  PARTIAL_REVERSED: { kind: 'status', status: null },
  REVERSED: { kind: 'status', status: 'canceled' },
  REFUNDING: { kind: 'trigger' },
  ASYNC_REFUNDING: { kind: 'trigger' },
  PARTIAL_REFUNDED: { kind: 'trigger' },
  REFUNDED: { kind: 'trigger' },
  REJECTED: { kind: 'status', status: 'failed' },
  AUTH_FAIL: { kind: 'status', status: 'failed' },
  CANCELED: { kind: 'status', status: 'canceled' },
  DEADLINE_EXPIRED: { kind: 'status', status: 'expired' },
  ATTEMPTS_EXPIRED: { kind: 'status', status: 'failed' },
};

/** A documented status's meaning; an undocumented one is recorded and moves nothing. */
export function statusMeaning(status: string): StatusMeaning {
  return Object.prototype.hasOwnProperty.call(STATUS_MEANING, status)
    ? STATUS_MEANING[status]!
    : { kind: 'status', status: null };
}

/** Statuses after which money went back (partly or wholly) from a confirmed payment. */
export const REFUND_STATUSES: ReadonlySet<string> = new Set(['PARTIAL_REFUNDED', 'REFUNDED']);

/** Description: T-Bank shows it on the payment form; at most 140 characters (its published limit is not confirmed). */
export const DESCRIPTION_MAX = 140;
