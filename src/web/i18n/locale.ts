import Negotiator from 'negotiator';

/** The languages Settle's customer pages speak: the shops it serves are in Armenia and Russia. */
export const LOCALES = ['en', 'hy', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

const isLocale = (v: string): v is Locale => (LOCALES as readonly string[]).includes(v);

/**
 * The language of a customer page: the order's own (the store knows its customer), when Settle
 * speaks it; else the browser's Accept-Language, weighed by its q-values (negotiator); else English.
 */
export function pickLocale(orderLocale: string | null | undefined, acceptLanguage: string | undefined): Locale {
  const primary = orderLocale?.split('-')[0]?.toLowerCase();
  if (primary && isLocale(primary)) return primary;
  const negotiated = new Negotiator({ headers: { 'accept-language': acceptLanguage ?? '' } }).language([...LOCALES]);
  return negotiated && isLocale(negotiated) && acceptLanguage ? negotiated : 'en';
}
