import type { Order } from '../../domain/order.js';
import { doublePaymentSettled } from '../../domain/surplus-refund.js';
import type { StorageTx } from '../../ports/storage.js';
import { completeIfDone } from '../complete-order.js';
import type { AppDeps } from '../deps.js';
import { resolveTasksInTx } from '../open-tasks.js';

/**
 * Resolves the order's open double_payment tasks whose surplus has gone back, with `note`, and
 * completes the order when that was all it waited for. One rule (doublePaymentSettled) for every
 * route the surplus goes back by: Settle's automatic refund, a person's, an adjustment's, or a new
 * amount that absorbs it. Inside the order's lock, after what gave the surplus back is recorded: the
 * refund as succeeded, or the adjustment with the order's new amount (`order.amount`).
 */
export async function settleDoublePayments(
  deps: AppDeps,
  tx: StorageTx,
  order: Pick<Order, 'id' | 'amount'>,
  note: string,
  at: string,
): Promise<void> {
  const open = await tx.listTasks({ orderId: order.id, kind: 'double_payment', status: 'open' });
  if (open.length === 0) return;
  const [attempts, refunds, adjustments] = [
    await tx.listAttempts(order.id),
    await tx.listRefunds(order.id),
    await tx.listAdjustments(order.id),
  ];
  const settled = open.filter((t) =>
    doublePaymentSettled({ amount: order.amount, attempts, attemptId: t.attemptId, refunds, adjustments }),
  );
  if (settled.length === 0) return;
  await resolveTasksInTx(tx, settled, note, 'system', at);
  await completeIfDone(deps, tx, order.id, 'system', at);
}
