import { formatDecimal } from '../../domain/money.js';
import { currencyExponent } from '../../domain/currency.js';
import type { Locale } from './locale.js';

/** The regional form of each language, for number and date formats. */
const REGION: Record<Locale, string> = { en: 'en', hy: 'hy-AM', ru: 'ru-RU' };

/**
 * An amount in minor units as the customer's language writes it (5 000,00 ₽, 5,000.00 AMD): the
 * exact decimal goes to Intl as text, with the currency's own ISO exponent, so nothing is rounded.
 */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat(REGION[locale], {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl.NumberFormat reads a string as an exact decimal (ES2023); the cast is for lib typings.
  return format.format(formatDecimal(amount, currency) as unknown as number);
}

/** A stored instant as the customer's language writes it, with its zone (UTC) named. */
export function formatTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(REGION[locale], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(iso));
}
