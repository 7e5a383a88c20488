import { completesOrder } from '../domain/delivery.js';
import { outstandingNow } from './balance.js';
import { ORDER_STATUS_LABELS } from '../domain/order-status.js';
import type { Actor } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import type { AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';

/**
 * Completes the order when it is paid net of refunds, delivered or fulfilled, and has no open
 * task. Called inside the transaction of anything that can be the last thing an order waited
 * for: a delivery, a fulfilment, a task resolved, a manual refund confirmed, a dispute won.
 */
export async function completeIfDone(
  deps: AppDeps,
  tx: StorageTx,
  orderId: string,
  actor: Actor,
  at: string,
): Promise<void> {
  const order = await tx.lockOrder(orderId);
  if (!order) return;
  const open = (await tx.listTasks({ orderId, status: 'open', limit: 1 })).length;
  if (!completesOrder(order, open, await outstandingNow(tx, order))) return;
  await tx.updateOrder(order.id, { status: 'completed', updatedAt: at });
  await recordEvents(deps, tx, order.id, at, [
    {
      kind: 'order.status_changed',
      actor,
      summary: `Order status: ${ORDER_STATUS_LABELS[order.status]} → completed: paid, delivered, nothing open.`,
      data: { from: order.status, to: 'completed' },
    },
  ]);
}
