import type { Order } from '../../domain/order.js';
import type { SurplusRefundPlan } from '../../domain/surplus-refund.js';
import type { StorageTx } from '../../ports/storage.js';
import type { AppDeps } from '../deps.js';
import { insertRefund, runRefund } from '../refunds.js';

/**
 * Records the automatic refund of a surplus payment as requested, in the transaction that applied
 * the payment (so the callback that revealed it is acknowledged only with the refund's intent
 * committed). Its id is derived from the payment: a refund of that id already there is left alone.
 */
export async function recordSurplusRefund(
  deps: AppDeps,
  tx: StorageTx,
  order: Order,
  plan: SurplusRefundPlan,
  at: string,
): Promise<void> {
  if (await tx.getRefund(plan.id)) return;
  await insertRefund(
    deps,
    tx,
    {
      id: plan.id,
      orderId: order.id,
      attemptId: plan.attemptId,
      amount: plan.amount,
      currency: order.currency,
      reason: plan.reason,
      // Surplus as a whole: planSurplusRefund refunds only a payment the order was paid in full without.
      surplusAmount: plan.amount,
    },
    'system',
    at,
  );
}

/**
 * After the commit: sends the surplus refund a change recorded, once, from the one caller that
 * recorded it (a repeated callback records none). Whatever goes wrong here leaves it requested,
 * and the janitor sends it again under the same id: the caller, committed already, still answers.
 */
export async function sendSurplusRefund(deps: AppDeps, plan: SurplusRefundPlan | undefined): Promise<void> {
  if (!plan) return;
  try {
    const refund = await deps.storage.read.getRefund(plan.id);
    if (refund?.status === 'requested') await runRefund(deps, refund);
  } catch {
    // Left requested for the janitor (above).
  }
}
