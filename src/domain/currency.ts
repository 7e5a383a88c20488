// ISO 4217 exponents come from the currency-codes package (the ISO list as data); it is
// the one outside module the domain may import, because it is data and does no I/O.
import currencyCodes from 'currency-codes';

/** Codes that are not money a shop can take: metals, bond units, testing and "no currency". */
const NOT_PAYABLE = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

const exponents = new Map<string, number>();
const numerics = new Map<string, string>();
for (const c of currencyCodes.data) {
  if (NOT_PAYABLE.has(c.code) || !Number.isInteger(c.digits)) continue;
  exponents.set(c.code, c.digits);
  if (/^\d{3}$/.test(c.number)) numerics.set(c.code, c.number);
}
const alphabetic = new Map([...numerics].map(([code, num]) => [num, code]));

/** The ISO 4217 numeric code, three digits ("051" for AMD), or undefined for an unknown currency. */
export function currencyNumeric(code: string): string | undefined {
  return numerics.get(code);
}

/** The alphabetic code of an ISO 4217 numeric one ("051" → "AMD"; "51" is read as "051"). */
export function currencyFromNumeric(num: string): string | undefined {
  return /^\d{1,3}$/.test(num) ? alphabetic.get(num.padStart(3, '0')) : undefined;
}

export function isCurrency(code: string): boolean {
  return exponents.has(code);
}

/** The number of minor-unit digits (AMD 2, JPY 0, BHD 3); throws for an unknown code (validate first). */
export function currencyExponent(code: string): number {
  const e = exponents.get(code);
  if (e === undefined) throw new Error(`unknown currency ${code}`);
  return e;
}
