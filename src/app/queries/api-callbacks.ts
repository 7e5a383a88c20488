import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';
import type { AppDeps } from '../deps.js';

/** The callback log, newest first, as received (the connector redacted secrets before it was stored). */
export async function listCallbackLog(
  deps: AppDeps,
  q: { paymentMethodId?: string; outcome?: CallbackOutcome; limit: number },
): Promise<CallbackRecord[]> {
  return deps.storage.read.listCallbacks(q);
}
