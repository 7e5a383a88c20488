import type { NewTask } from '../../domain/timeline.js';
import type { CallbackRecord, StorageTx, WebhookEndpointRecord } from '../../ports/storage.js';
import type { PaymentChange } from '../../domain/payment-change.js';
import type { AppDeps } from '../deps.js';
import { openTasks } from '../open-tasks.js';
import { commitPaymentChange } from './commit-payment-change.js';
import type { LockedPayment } from './lock-payment.js';

/**
 * The one write of a received callback, for every outcome: the payment change it decided (if
 * any), the tasks it opens, and its record in the callback log, once, in the same transaction.
 * The provider is answered only after this commits.
 */
export async function commitCallback(
  deps: AppDeps,
  tx: StorageTx,
  input: {
    callback: CallbackRecord;
    payment?: { locked: LockedPayment; change: PaymentChange<WebhookEndpointRecord> };
    tasks?: readonly NewTask[];
  },
  at: string,
): Promise<void> {
  if (input.payment) await commitPaymentChange(deps, tx, input.payment.locked, input.payment.change, at);
  await openTasks(deps, tx, input.tasks ?? [], at);
  await tx.insertCallback(input.callback);
}
