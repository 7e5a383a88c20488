import { currencyExponent } from './currency.js';

/** Money is an integer count of the currency's minor unit; floats never hold it. */
export interface Money {
  amount: number;
  currency: string;
}

export function isMinorAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Sums minor amounts, or returns undefined when the total leaves the safe-integer range. */
export function sumMinor(values: readonly number[]): number | undefined {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return total;
}

export function multiplyMinor(unit: number, quantity: number): number | undefined {
  const p = unit * quantity;
  return Number.isSafeInteger(p) ? p : undefined;
}

/** "1500.00" for 150000 AMD, "1500" for 1500 JPY: for display and for wire formats that want a point. */
export function formatDecimal(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${amount < 0 ? '-' : ''}${whole}${frac}`;
}

/**
 * Reads a decimal with a point ("1500.5", "1500.00", "1500") exactly into minor units, without
 * floating point. Returns undefined for anything else or for more decimals than the currency has.
 */
export function parseDecimal(text: string, currency: string): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const exp = currencyExponent(currency);
  let frac = m[3] ?? '';
  // Trailing zeros beyond the exponent are harmless ("10.000" JPY? no: only zeros are dropped).
  while (frac.length > exp && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length > exp) return undefined;
  const minor = Number(`${m[2]}${frac.padEnd(exp, '0')}`);
  if (!Number.isSafeInteger(minor)) return undefined;
  return m[1] === '-' ? -minor : minor;
}
