// Robokassa on the wire: the signatures (payment URL, ResultURL, OpStateExt), OutSum, InvId,
// and the operation state codes of the XML status service.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttemptStatus } from '../../domain/attempt-status.js';
import { formatDecimal, parseDecimal } from '../../domain/money.js';

export const HASH_ALGORITHMS = ['md5', 'sha256', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** InvId: a positive 32-bit integer (Robokassa documents InvId as int). */
export const INV_ID_MAX = 2_147_483_647;
export const isInvId = (s: unknown): s is string =>
  typeof s === 'string' && /^[1-9]\d{0,9}$/.test(s) && Number(s) <= INV_ID_MAX;

/** OutSum as sent: roubles with two decimals (150000 → "1500.00"). */
export const wireOutSum = (amount: number) => formatDecimal(amount, 'RUB');

/** OutSum as received ("100.000000" stays as sent for the signature), in kopecks, or -1. */
export function readOutSum(text: string): number {
  const minor = /^\d+(\.\d+)?$/.test(text) ? parseDecimal(text, 'RUB') : undefined;
  return minor === undefined ? -1 : minor;
}

const hash = (algorithm: HashAlgorithm, text: string) => createHash(algorithm).update(text, 'utf8').digest('hex');

/** `:Shp_key=value` pairs sorted by key, as Robokassa appends them to every signed text. */
export function shpSuffix(shp: Record<string, string>, encode: boolean): string {
  return Object.keys(shp)
    .sort()
    .map((k) => `:${k}=${encode ? encodeURIComponent(shp[k]!).replace(/%20/g, '+') : shp[k]}`)
    .join('');
}

/**
 * The payment URL's SignatureValue: hash of `MerchantLogin:OutSum:InvId:Password#1` plus the
 * sorted `Shp_` pairs, their values URL-encoded as the official SDK signs them.
 */
export function paymentSignature(
  algorithm: HashAlgorithm,
  f: { login: string; outSum: string; invId: string; password1: string; shp?: Record<string, string> },
): string {
  return hash(algorithm, `${f.login}:${f.outSum}:${f.invId}:${f.password1}${shpSuffix(f.shp ?? {}, true)}`);
}

/** ResultURL's SignatureValue: hash of `OutSum:InvId:Password#2[:Shp_…]` over the strings as received. */
export function resultSignature(
  algorithm: HashAlgorithm,
  f: { outSum: string; invId: string; password2: string; shp: Record<string, string> },
): string {
  return hash(algorithm, `${f.outSum}:${f.invId}:${f.password2}${shpSuffix(f.shp, false)}`);
}

/** OpStateExt's Signature: hash of `MerchantLogin:InvoiceID:Password#2`. */
export const stateSignature = (algorithm: HashAlgorithm, login: string, invId: string, password2: string) =>
  hash(algorithm, `${login}:${invId}:${password2}`);

/** A received signature against the expected one: hex, without regard to case, in constant time. */
export function signatureMatches(received: unknown, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length || !/^[0-9a-fA-F]+$/.test(received))
    return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'latin1'), Buffer.from(expected, 'latin1'));
}

/**
 * OpStateExt's State/Code, exhaustively: 5 initialized (not paid) is pending; 10 cancelled (by the
 * buyer or a timeout, no money) failed; 20 a hold authorized; 50 received from the buyer and
 * being credited authorized (the money is on its way, not final); 60 crediting refused and the
 * money returned to the buyer failed; 80 suspended null (stopped at Robokassa: recorded, a person
 * looks); 100 paid succeeded. Any other code: null.
 */
export function stateStatus(code: number): AttemptStatus | null {
  switch (code) {
    case 5:
      return 'pending';
    case 10:
    case 60:
      return 'failed';
    case 20:
    case 50:
      return 'authorized';
    case 100:
      return 'succeeded';
    default:
      return null;
  }
}
