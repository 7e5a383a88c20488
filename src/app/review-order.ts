import { canMoveOrder, ORDER_STATUS_LABELS } from '../domain/order-status.js';
import type { Order } from '../domain/order.js';
import { outstandingOf } from '../domain/payment-link.js';
import { refundableOf, surplusPartOf, type Refund } from '../domain/refund.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor, NewOrderEvent } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { revokeLinksInTx } from './payment-links.js';
import { recordEvents } from './record-events.js';
import { resolveTasksInTx } from './open-tasks.js';
import { insertRefund, runRefund } from './refunds.js';

export interface ReviewDecision {
  orderId: string;
  decision: 'approve' | 'reject';
  note: string;
}

/**
 * A person's review of a paid order. Approve lets it be fulfilled (on hold → processing). Reject
 * refunds what is still refundable of every payment and cancels the order: the refunds are
 * recorded with the decision, in one transaction, and sent to the provider after it.
 */
export async function reviewOrder(deps: AppDeps, input: ReviewDecision, actor: Actor): Promise<Result<Order>> {
  const at = nowIso(deps);
  const done = await deps.storage.transaction(async (tx): Promise<Result<{ order: Order; refunds: Refund[] }>> => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.reviewStatus === 'none')
      return fail('order_not_reviewable', `Order ${order.reference} has no verified payment to review.`);
    const target = input.decision === 'approve' ? 'approved' : 'rejected';
    if (order.reviewStatus === target) return ok({ order, refunds: [] });
    if (order.reviewStatus === 'rejected')
      return fail('review_decided', `Order ${order.reference} was rejected in review; its payment was refunded.`);
    const events: NewOrderEvent[] = [];
    let status = order.status;
    const refunds: Refund[] = [];
    if (input.decision === 'approve') {
      if (order.status === 'on_hold' && canMoveOrder('on_hold', 'processing')) status = 'processing';
      events.push({
        kind: 'review.approved',
        actor,
        summary: `Review: approved. ${input.note}`,
        data: { note: input.note },
      });
    } else {
      if (!canMoveOrder(order.status, 'canceled')) {
        return fail(
          'order_not_cancelable',
          `Order ${order.reference} is ${ORDER_STATUS_LABELS[order.status]}; a rejection would have to cancel it.`,
        );
      }
      status = 'canceled';
      events.push({
        kind: 'review.rejected',
        actor,
        summary: `Review: rejected. ${input.note} Every payment is refunded in full.`,
        data: { note: input.note },
      });
    }
    await tx.updateOrder(order.id, { status, reviewStatus: target, updatedAt: at });
    if (status !== order.status) {
      events.push({
        kind: 'order.status_changed',
        actor,
        summary: `Order status: ${ORDER_STATUS_LABELS[order.status]} → ${ORDER_STATUS_LABELS[status]}.`,
        data: { from: order.status, to: status },
      });
    }
    if (status === 'canceled')
      events.push(...(await revokeLinksInTx(tx, order, 'the order was rejected in review', at)));
    await recordEvents(deps, tx, order.id, at, events);
    if (input.decision === 'reject') {
      const [attempts, existing, chargebacks] = [
        await tx.listAttempts(order.id),
        await tx.listRefunds(order.id),
        await tx.listChargebacks(order.id),
      ];
      const adjustments = await tx.listAdjustments(order.id);
      for (const a of attempts) {
        const amount = refundableOf(a, existing, chargebacks);
        // What the order held beyond its amount goes back first, as with any refund.
        const outstanding = outstandingOf(order.amount, attempts, [...existing, ...refunds], adjustments);
        if (amount > 0)
          refunds.push(
            await insertRefund(
              deps,
              tx,
              {
                orderId: order.id,
                attemptId: a.id,
                amount,
                currency: a.currency,
                reason: `Rejected in review: ${input.note}`,
                surplusAmount: surplusPartOf(amount, outstanding),
              },
              actor,
              at,
            ),
          );
      }
    }
    await resolveTasksInTx(
      tx,
      await tx.listTasks({ orderId: order.id, kind: 'review', status: 'open' }),
      `${target}: ${input.note}`,
      actor,
      at,
    );
    return ok({ order: (await tx.getOrder(order.id))!, refunds });
  });
  if (!done.ok) return done;
  for (const r of done.value.refunds.filter((r) => r.status === 'requested')) await runRefund(deps, r);
  return ok((await deps.storage.read.getOrder(input.orderId)) ?? done.value.order);
}
