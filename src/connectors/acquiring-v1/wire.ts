// The acquirer's wire formats, all in one place: amounts, OrderIDs, signatures and statuses.
// md5 is the acquirer's choice, not ours; it is confined to this file. Settle's own signatures
// use HMAC-SHA256.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttemptStatus } from '../../domain/attempt-status.js';
import { isCurrency } from '../../domain/currency.js';
import { formatDecimal, isMinorAmount } from '../../domain/money.js';
import type { Secret } from '../../domain/secret.js';

/** The longest OrderID we send. The acquirer documents none; 64 leaves room for a retry suffix. */
export const ORDER_ID_MAX = 64;

const ORDER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Latin letters, digits and hyphen (the acquirer's own example is `fd-1240`), 1..64 characters. */
export function isOrderId(s: string): boolean {
  return ORDER_ID.test(s);
}

/** The acquirer compares OrderIDs without regard to case. */
export function normalizeOrderId(s: string): string {
  return s.toLowerCase();
}

/** True when the amount can be put on the wire: a positive integer of minor units of a known currency. */
export function isWireableAmount(amount: number, currency: string): boolean {
  return isMinorAmount(amount) && amount > 0 && isCurrency(currency);
}

/** "1500.00" for 150000 AMD, "1500" for 1500 JPY: a point and the currency's decimals. Validate first. */
export function wireAmount(amount: number, currency: string): string {
  return formatDecimal(amount, currency);
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The order's signature, as in the payment URL and cancelorder: md5(PrivKey;OrderID;Amount), lower-case hex. */
export function paymentHash(privateKey: Secret, orderId: string, amount: string): string {
  return md5Hex(`${privateKey.reveal()};${orderId};${amount}`);
}

/** The webhook's signature: md5(PrivKey;OrderID;status), lower-case hex. */
export function callbackHash(privateKey: Secret, orderId: string, status: string): string {
  return md5Hex(`${privateKey.reveal()};${orderId};${status}`);
}

const HEX = /^[0-9a-f]*$/;

/**
 * Compares two hex signatures in constant time, without regard to case. Anything that is not
 * hex, or not of the expected length, is simply unequal.
 */
export function hashEquals(expected: string, given: string): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = expected.toLowerCase();
  const b = given.toLowerCase();
  if (a.length === 0 || a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * The acquirer's statuses as documented. They are matched exactly, in lower case: a status in
 * any other spelling is one it never documented, so it is recorded and moves nothing.
 */
export type AcquirerStatus =
  | { kind: 'executed' }
  | { kind: 'opened' }
  | { kind: 'canceled' }
  | { kind: 'error'; code: string }
  | { kind: 'undocumented' };

const ERROR_STATUS = /^error#(\d+)$/;

export function readStatus(status: string): AcquirerStatus {
  if (status === 'executed' || status === 'opened' || status === 'canceled') return { kind: status };
  const m = ERROR_STATUS.exec(status);
  if (m?.[1] !== undefined) return { kind: 'error', code: m[1] };
  return { kind: 'undocumented' };
}

/** The acquirer's status in Settle's terms; exhaustive, no default branch. */
export function mapStatus(status: string): { status: AttemptStatus | null; errorCode: string | null } {
  const s = readStatus(status);
  switch (s.kind) {
    case 'executed':
      return { status: 'succeeded', errorCode: null };
    case 'opened':
      return { status: 'pending', errorCode: null };
    case 'canceled':
      return { status: 'canceled', errorCode: null };
    case 'error':
      return { status: 'failed', errorCode: s.code };
    case 'undocumented':
      return { status: null, errorCode: null };
  }
}
