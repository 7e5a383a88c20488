// YooKassa API v3 on the wire: amounts as decimal strings, payment ids, the addresses its
// notifications come from, and what a payment's status (and why it was canceled) means in Settle.
import { BlockList, isIP } from 'node:net';
import type { AttemptStatus } from '../../domain/attempt-status.js';
import { formatDecimal, parseDecimal } from '../../domain/money.js';

export const YOOKASSA_CURRENCIES = ['RUB'] as const;

/** The ranges YooKassa publishes for its notifications (yookassa.ru/developers/using-api/webhooks#ip). */
export const YOOKASSA_NOTIFICATION_IPS = [
  '185.71.76.0/27',
  '185.71.77.0/27',
  '77.75.153.0/25',
  '77.75.156.11',
  '77.75.156.35',
  '77.75.154.128/25',
  '2a02:5180::/32',
] as const;

/** `{value: "1500.00", currency: "RUB"}`: major units with the currency's decimals. */
export const wireAmount = (amount: number, currency: string) => ({ value: formatDecimal(amount, currency), currency });

/** An amount object as YooKassa states it, exactly in minor units; undefined when unreadable. */
export function readAmount(v: unknown): { amount: number; currency: string } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { value, currency } = v as Record<string, unknown>;
  if (typeof value !== 'string' || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return undefined;
  const amount = parseDecimal(value, currency);
  return amount === undefined || amount < 0 ? undefined : { amount, currency };
}

/** YooKassa's payment ids are UUID-like: hex groups and dashes, 36 characters. */
const PAYMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isPaymentId = (s: unknown): s is string => typeof s === 'string' && PAYMENT_ID.test(s);

/** The reference Settle keeps in metadata and sends as Idempotence-Key: Latin letters, digits, "-", "_", 1..64. */
const REF = /^[A-Za-z0-9_-]{1,64}$/;
export const isReference = (s: string): boolean => REF.test(s);

/**
 * The allow-list of notification addresses, from CIDR ranges and single addresses (IPv4 and IPv6).
 * A string is why an entry is refused.
 */
export function addressList(entries: readonly string[]): BlockList | string {
  const list = new BlockList();
  for (const e of entries) {
    const [addr = '', bits, extra] = e.trim().split('/');
    const family = isIP(addr);
    if (!family || extra !== undefined) return `"${e.slice(0, 60)}" is not an address or a range`;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))
        return `"${e.slice(0, 60)}" has no valid prefix length`;
      list.addSubnet(addr, prefix, type);
    }
  }
  return list;
}

/** Whether the socket's peer is on the list; an IPv4 address mapped into IPv6 (::ffff:a.b.c.d) counts as IPv4. */
export function isAllowed(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  const family = isIP(plain);
  if (!family) return false;
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A payment's status in Settle's terms. `canceled` says why in cancellation_details.reason:
 * the customer never confirmed in time is expired; the shop's own cancel, or a hold not captured
 * in time, is canceled; every other reason (a decline, 3-D Secure, fraud, limits) is failed.
 */
export function paymentStatus(status: unknown, reason?: unknown): AttemptStatus | null {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'waiting_for_capture':
      return 'authorized';
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      if (reason === 'expired_on_confirmation') return 'expired';
      if (reason === 'canceled_by_merchant' || reason === 'expired_on_capture') return 'canceled';
      return 'failed';
    default:
      return null;
  }
}

/** YooKassa's description limit (128 characters). */
export const DESCRIPTION_MAX = 128;
