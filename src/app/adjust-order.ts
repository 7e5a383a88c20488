import { planAdjustment, type Adjustment, type AdjustmentRequest } from '../domain/adjustment.js';
import { isAttemptOpen } from '../domain/attempt-status.js';
import { formatDecimal } from '../domain/money.js';
import { planRefund, type Refund } from '../domain/refund.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { recordEvents } from './record-events.js';
import { insertRefund, runRefund } from './refunds.js';

export interface AdjustInput extends AdjustmentRequest {
  orderId: string;
  reason: string;
}

/**
 * Changes an order's confirmed amount (an item out of stock, a replacement, a delivery fee, a
 * price set by hand) with its reason and actor. On a prepaid order a fall becomes a partial
 * refund of the affected lines, recorded in the same transaction and sent to the provider after
 * it; a rise becomes a task to collect the difference. An unpaid order with a payment open at
 * the acquirer is refused: that payment was made out for the old amount.
 */
export async function adjustOrder(deps: AppDeps, input: AdjustInput, actor: Actor, opts: { admin: boolean }): Promise<Result<{ adjustment: Adjustment; refund: Refund | null }>> {
  if (input.kind === 'manual_price' && !opts.admin) return fail('forbidden', 'A manual price change needs an admin key.');
  const at = nowIso(deps);
  const done = await deps.storage.transaction(async (tx): Promise<Result<{ adjustment: Adjustment; refund: Refund | null }>> => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.status === 'canceled' || order.status === 'completed') return fail('order_not_adjustable', `Order ${order.reference} is ${order.status}.`);
    const attempts = await tx.listAttempts(order.id);
    const prepaid = order.paymentStatus === 'paid' || order.paymentStatus === 'partially_refunded';
    if (!prepaid && attempts.some((a) => isAttemptOpen(a.status))) {
      return fail('payment_in_progress', `A payment of order ${order.reference} is open at the acquirer for the old amount: cancel it or wait for it first.`);
    }
    const plan = planAdjustment(order, input);
    if (!plan.ok) return plan;
    const { delta, lines, amountAfter } = plan.value;
    // Every refusal comes before the first write: a transaction whose callback returns a failure
    // still commits what it wrote.
    const source = prepaid && delta < 0 ? planRefund(order, attempts, await tx.listRefunds(order.id), await tx.listChargebacks(order.id), { amount: -delta, lines: input.lines }) : undefined;
    if (source && !source.ok) return source;
    await tx.updateOrder(order.id, { amount: amountAfter, lines, updatedAt: at });
    const refund: Refund | null = source?.ok
      ? await insertRefund(deps, tx, { orderId: order.id, attemptId: source.value.id, amount: -delta, currency: order.currency, reason: `${label(input.kind)}: ${input.reason}`, lines: input.lines }, actor, at)
      : null;
    const adjustment: Adjustment = {
      id: deps.random.id('adj'),
      orderId: order.id,
      kind: input.kind,
      lines: input.lines ?? [],
      amountDelta: delta,
      amountBefore: order.amount,
      amountAfter,
      reason: input.reason,
      actor,
      refundId: refund?.id ?? null,
      createdAt: at,
    };
    await tx.insertAdjustment(adjustment);
    const money = (n: number) => `${formatDecimal(n, order.currency)} ${order.currency}`;
    const what = adjustment.lines.length > 0 ? ` (${adjustment.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')})` : '';
    await recordEvents(deps, tx, order.id, at, [
      {
        kind: 'order.adjusted',
        actor,
        summary: `${label(input.kind)}${what}: amount ${money(order.amount)} → ${money(amountAfter)}. Reason: ${input.reason}.${refund ? ` The difference, ${money(-delta)}, is refunded.` : ''}`,
        data: { adjustment_id: adjustment.id, amount_delta: delta, amount: amountAfter, reason: input.reason, ...(refund && { refund_id: refund.id }) },
      },
    ]);
    if (prepaid && delta > 0) {
      await openTasks(deps, tx, [{ kind: 'additional_payment', orderId: order.id, reason: `Order ${order.reference} now costs ${money(delta)} more than was paid (${label(input.kind)}): collect the difference from the customer.` }], at);
    }
    return ok({ adjustment, refund });
  });
  if (!done.ok) return done;
  const { refund } = done.value;
  if (refund?.status === 'requested') return ok({ ...done.value, refund: await runRefund(deps, refund) });
  return done;
}

function label(kind: Adjustment['kind']): string {
  return { partial_cancellation: 'Partial cancellation', replacement: 'Replacement', fee_change: 'Fee change', manual_price: 'Manual price change' }[kind];
}
