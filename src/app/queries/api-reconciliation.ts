import type { ReconciliationRun } from '../../domain/reconciliation-run.js';
import type { AppDeps } from '../deps.js';

/** Reconciliation runs, newest first, of one payment method or all. */
export async function listRuns(
  deps: AppDeps,
  q: { paymentMethodId?: string; limit: number },
): Promise<ReconciliationRun[]> {
  return deps.storage.read.listRuns(q);
}
