import { fail, ok, type Result } from '../../domain/result.js';

/**
 * The `suffix` reference scheme most providers need: attempt 1 is the store's reference as it
 * is (accounting sees the store's number at the bank), attempt n is `${reference}-${n}`, because
 * the provider keys payments by it. `accepts` is the provider's rule; `rule` says it in words.
 */
export function suffixedRef(
  reference: string,
  n: number,
  provider: { accepts: (ref: string) => boolean; rule: string },
): Result<string> {
  if (!Number.isSafeInteger(n) || n < 1)
    return fail('reference_invalid', `Attempt number ${n} is not a positive integer.`);
  const ref = n === 1 ? reference : `${reference}-${n}`;
  if (provider.accepts(ref)) return ok(ref);
  return fail(
    'reference_invalid',
    `${provider.rule}` +
      (n > 1 ? ` including the retry suffix "-${n}"` : '') +
      `; "${reference.slice(0, 80)}" does not fit.`,
    { reference: reference.slice(0, 80), attempt: n },
  );
}
