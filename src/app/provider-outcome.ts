import type { Failure } from '../domain/result.js';

/**
 * Whether a provider call's failure leaves its outcome unknown: no answer at all, or an answer
 * that could not be read (an HTTP 5xx from a gateway, a maintenance page). The provider may
 * have done what was asked, so nothing is concluded from it: a refund stays requested and is
 * sent again under its own id, a cancel intent stays open, a payment is not expired.
 */
export function outcomeUnknown(f: Failure): boolean {
  return f.code === 'provider_unreachable' || f.code === 'provider_answer_invalid';
}
