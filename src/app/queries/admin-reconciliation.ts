import type { ReconciliationRun } from '../../domain/reconciliation-run.js';
import { ok, type Result } from '../../domain/result.js';
import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { TaskRecord } from '../../domain/task.js';
import type { AppDeps } from '../deps.js';
import { getRun } from '../reconcile.js';
import { listTasks } from '../tasks.js';
import { orderReferences } from './admin-orders.js';

// What the admin reconciliation pages read. Committed data only; nothing here writes.

/** The newest `limit` runs (of one payment method when named), and every payment method. */
export async function reconciliationRuns(
  deps: AppDeps,
  q: { paymentMethodId?: string; limit: number },
): Promise<{ runs: ReconciliationRun[]; methods: PaymentMethodRecord[] }> {
  const [runs, methods] = await Promise.all([
    deps.storage.read.listRuns({ ...(q.paymentMethodId && { paymentMethodId: q.paymentMethodId }), limit: q.limit }),
    deps.storage.read.listPaymentMethods(),
  ]);
  return { runs, methods };
}

export interface RunPage {
  run: ReconciliationRun;
  method: PaymentMethodRecord | undefined;
  /** The run's tasks (its exceptions), at most the limit asked for. */
  tasks: TaskRecord[];
  refs: Map<string, string>;
}

/** One run with its payment method, its tasks and their orders' references; reconciliation_run_not_found else. */
export async function reconciliationRunPage(deps: AppDeps, id: string, taskLimit: number): Promise<Result<RunPage>> {
  const found = await getRun(deps, id);
  if (!found.ok) return found;
  const run = found.value;
  const [method, tasks] = await Promise.all([
    deps.storage.read.getPaymentMethod(run.paymentMethodId),
    listTasks(deps, { runId: run.id, limit: taskLimit }),
  ]);
  const refs = await orderReferences(
    deps,
    tasks.map((t) => t.orderId),
  );
  return ok({ run, method, tasks, refs });
}
