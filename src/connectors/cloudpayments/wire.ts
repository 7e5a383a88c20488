// CloudPayments on the wire: the notification HMAC, amounts in major units, invoice ids, the
// notice kinds and their addresses, statuses, and the check's refusal codes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttemptStatus } from '../../domain/attempt-status.js';
import type { PrecheckRefusal } from '../../domain/precheck.js';
import { formatDecimal, parseDecimal } from '../../domain/money.js';

/** The notices CloudPayments posts, each to its own address: {callback route}/{kind}. */
export const NOTICE_KINDS = ['check', 'pay', 'fail', 'confirm', 'refund', 'cancel'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The currencies Settle offers through CloudPayments (it takes more; see README). */
export const CLOUDPAYMENTS_CURRENCIES = ['RUB', 'USD', 'EUR', 'KZT'] as const;

/** InvoiceId: Latin letters, digits, "-", "_", 1..64 (Settle's choice; see README). */
const INVOICE = /^[A-Za-z0-9_-]{1,64}$/;
export const isInvoiceId = (s: unknown): s is string => typeof s === 'string' && INVOICE.test(s);

/** base64 HMAC-SHA256 of `data` with the API secret. */
export const hmacOf = (secret: string, data: Buffer | string): string =>
  createHmac('sha256', secret).update(data).digest('base64');

/** A header's base64 HMAC against the expected one, in constant time. */
export function hmacMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(received, 'latin1'), Buffer.from(expected, 'latin1'));
}

/**
 * Amount as JSON sends it: a number literal in major units with the currency's decimals (written
 * from minor units as text, never through floating point).
 */
export const amountLiteral = (amount: number, currency: string): string => formatDecimal(amount, currency);

/** An amount as received (form text, or a JSON number's shortest text), exactly in minor units, or -1. */
export function readAmount(v: unknown, currency: string): number {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : '';
  const minor = /^\d+(\.\d+)?$/.test(text) ? parseDecimal(text, currency) : undefined;
  return minor === undefined ? -1 : minor;
}

/** A transaction's status in Settle's terms (CloudPayments' documented five). */
export function transactionStatus(status: unknown): AttemptStatus | null {
  switch (status) {
    case 'AwaitingAuthentication':
      return 'pending';
    case 'Authorized':
      return 'authorized';
    case 'Completed':
      return 'succeeded';
    case 'Cancelled':
      return 'canceled';
    case 'Declined':
      return 'failed';
    default:
      return null;
  }
}

/** The check's answer codes: 0 accepted; 10 unknown invoice, 12 wrong amount, 13 cannot be accepted, 20 expired. */
export function checkCode(accepted: boolean, refusal?: PrecheckRefusal): number {
  if (accepted) return 0;
  switch (refusal) {
    case 'unknown':
      return 10;
    case 'amount':
      return 12;
    case 'expired':
      return 20;
    default:
      return 13;
  }
}
