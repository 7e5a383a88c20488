import type { NewTask } from '../../domain/timeline.js';
import type { CallbackRecord, StorageTx, WebhookEndpointRecord } from '../../ports/storage.js';
import type { PaymentChange } from '../../domain/payment-change.js';
import type { ChargebackChange } from '../../domain/chargeback-notice.js';
import type { AppDeps } from '../deps.js';
import { openTasks } from '../open-tasks.js';
import { commitPaymentChange } from './commit-payment-change.js';
import type { LockedAttempt, LockedPayment } from './lock-payment.js';
import { commitChargebackChange } from './commit-chargeback-change.js';

/**
 * The one write of a received callback, for every outcome (applied, duplicate, stale, ignored,
 * rejected): the change its notice decided, if any, the tasks it opens (an unmatched one's), and
 * its record in the callback log, once, all in the caller's transaction. The provider is answered
 * only after that transaction commits.
 */
export async function commitCallback(
  deps: AppDeps,
  tx: StorageTx,
  input: {
    callback: CallbackRecord;
    /** The change the notice decided, by kind. */
    change?:
      | { kind: 'payment'; locked: LockedPayment; change: PaymentChange<WebhookEndpointRecord> }
      | { kind: 'chargeback'; locked: LockedAttempt; change: ChargebackChange<WebhookEndpointRecord> };
    tasks?: readonly NewTask[];
  },
  at: string,
): Promise<void> {
  const decided = input.change;
  if (decided?.kind === 'payment') await commitPaymentChange(deps, tx, decided.locked, decided.change, at);
  if (decided?.kind === 'chargeback') await commitChargebackChange(deps, tx, decided.locked, decided.change, at);
  await openTasks(deps, tx, input.tasks ?? [], at);
  await tx.insertCallback(input.callback);
}
