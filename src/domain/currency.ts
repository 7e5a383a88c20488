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
for (const c of currencyCodes.data) {
  if (!NOT_PAYABLE.has(c.code) && Number.isInteger(c.digits)) exponents.set(c.code, c.digits);
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
