import { planAdjustment, type Adjustment, type AdjustmentRequest } from '../domain/adjustment.js';
import { isAttemptOpen } from '../domain/attempt-status.js';
import { formatDecimal } from '../domain/money.js';
import { planRefund, surplusPartOf, type Refund } from '../domain/refund.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { recordEvents } from './record-events.js';
import { insertRefund, runRefund } from './refunds.js';
import { issueLinkInTx, linkMethod, linkRefusal, revokeLinksInTx, type IssuedLink } from './payment-links.js';
import { methodRefusal } from './payment-methods.js';
import { DEFAULT_LINK_HOURS, outstandingOf, planLink } from '../domain/payment-link.js';
import { owedRefundInFlight } from './balance.js';
import { settleDoublePayments } from './steps/settle-double-payment.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import type { StorageTx } from '../ports/storage.js';

export interface AdjustInput extends AdjustmentRequest {
  orderId: string;
  reason: string;
  /** When a rise on a prepaid order becomes a payment link: its expiry (default DEFAULT_LINK_HOURS). */
  linkExpiresAt?: string;
}

export interface Adjusted {
  adjustment: Adjustment;
  refund: Refund | null;
  paymentLink: IssuedLink | null;
}

/**
 * Changes an order's confirmed amount (an item out of stock, a replacement, a delivery fee, a
 * price set by hand) with its reason and actor. On a prepaid order the new amount is settled
 * against what was paid: more paid than owed becomes a partial refund of the affected lines,
 * recorded in the same transaction and sent to the provider after it; less paid than owed
 * becomes a payment link for the difference (or, with no payment method to open, a task). A
 * link open for the old amount is revoked. A new amount that leaves the order holding nothing
 * beyond it (a rise on a double-paid order) settles its double payment, as a refund would. An
 * unpaid order with a payment open at the acquirer is refused: that payment was made out for the
 * old amount.
 */
export async function adjustOrder(
  deps: AppDeps,
  input: AdjustInput,
  actor: Actor,
  opts: { admin: boolean },
): Promise<Result<Adjusted>> {
  if (input.kind === 'manual_price' && !opts.admin)
    return fail('forbidden', 'A manual price change needs an admin key.');
  const at = nowIso(deps);
  const done = await deps.storage.transaction(async (tx): Promise<Result<Adjusted>> => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    if (order.status === 'canceled' || order.status === 'completed')
      return fail('order_not_adjustable', `Order ${order.reference} is ${order.status}.`);
    const attempts = await tx.listAttempts(order.id);
    const prepaid = order.paymentStatus === 'paid' || order.paymentStatus === 'partially_refunded';
    if (!prepaid && attempts.some((a) => isAttemptOpen(a.status))) {
      return fail(
        'payment_in_progress',
        `A payment of order ${order.reference} is open at the acquirer for the old amount: cancel it or wait for it first.`,
      );
    }
    const plan = planAdjustment(order, input);
    if (!plan.ok) return plan;
    const { delta, lines, amountAfter } = plan.value;
    const refunds = await tx.listRefunds(order.id);
    if (prepaid && (await owedRefundInFlight(tx, order.id))) {
      return fail(
        'refund_in_progress',
        `A refund of order ${order.reference} is waiting for the provider's answer: adjust the order once it has settled.`,
      );
    }
    // Settled against what was paid, not against the old amount: a link may be open for part of it.
    const adjustments = await tx.listAdjustments(order.id);
    const balance = prepaid ? -outstandingOf(amountAfter, attempts, refunds, adjustments) : 0;
    // Every refusal comes before the first write: a transaction whose callback returns a failure
    // still commits what it wrote.
    const source =
      balance > 0
        ? planRefund(order, attempts, refunds, await tx.listChargebacks(order.id), {
            amount: balance,
            lines: input.lines,
          })
        : undefined;
    if (source && !source.ok) return source;
    const collect =
      balance < 0 ? await planCollection(deps, tx, order, attempts, -balance, input.linkExpiresAt, at) : undefined;
    if (collect && !collect.ok) return collect;
    await tx.updateOrder(order.id, { amount: amountAfter, lines, updatedAt: at });
    const refund: Refund | null = source?.ok
      ? await insertRefund(
          deps,
          tx,
          {
            orderId: order.id,
            attemptId: source.value.id,
            amount: balance,
            currency: order.currency,
            reason: `${label(input.kind)}: ${input.reason}`,
            lines: input.lines,
            // What the order held beyond its old amount (a double payment) goes back with it.
            surplusAmount: surplusPartOf(balance, outstandingOf(order.amount, attempts, refunds, adjustments)),
          },
          actor,
          at,
        )
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
    const what =
      adjustment.lines.length > 0 ? ` (${adjustment.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')})` : '';
    await recordEvents(deps, tx, order.id, at, [
      {
        kind: 'order.adjusted',
        actor,
        summary: `${label(input.kind)}${what}: amount ${money(order.amount)} → ${money(amountAfter)}. Reason: ${input.reason}.${refund ? ` ${money(refund.amount)} is refunded.` : ''}`,
        data: {
          adjustment_id: adjustment.id,
          amount_delta: delta,
          amount_after: amountAfter,
          reason: input.reason,
          ...(refund && { refund_id: refund.id }),
        },
      },
      ...(await revokeLinksInTx(tx, order, 'the order amount changed', at)),
    ]);
    let paymentLink: IssuedLink | null = null;
    if (collect?.ok && collect.value) {
      const reason = `${label(input.kind)}: ${input.reason}. The order now costs ${money(-balance)} more than was paid.`;
      paymentLink = await issueLinkInTx(
        deps,
        tx,
        { ...order, amount: amountAfter },
        { ...collect.value, reason },
        actor,
        at,
      );
    } else if (balance < 0) {
      await openTasks(
        deps,
        tx,
        [
          {
            kind: 'additional_payment',
            orderId: order.id,
            reason: `Order ${order.reference} now costs ${money(-balance)} more than was paid (${label(input.kind)}), and no payment method can take a link: collect the difference from the customer.`,
          },
        ],
        at,
      );
    }
    // The new amount may absorb what the order held beyond the old one (a rise on a double-paid
    // order): the double payment is then settled without a refund. One that makes a refund, or
    // while a refund of the surplus is still to be paid out by hand (it counted as gone above; one
    // waiting for the provider was refused), is settled by the same rule when that refund succeeds
    // (refunds.ts).
    if (!refund && !refunds.some((r) => r.surplusAmount > 0 && UNSETTLED.has(r.status))) {
      await settleDoublePayments(
        deps,
        tx,
        { id: order.id, amount: amountAfter },
        `${label(input.kind)}: the amount change ${money(order.amount)} → ${money(amountAfter)} absorbed the surplus; the order holds nothing beyond what it costs now.`,
        at,
      );
    }
    return ok({ adjustment, refund, paymentLink });
  });
  if (!done.ok) return done;
  const { refund } = done.value;
  if (refund?.status === 'requested') return ok({ ...done.value, refund: await runRefund(deps, refund) });
  return done;
}

/** Refund statuses that still hold their amount without having paid it out. */
const UNSETTLED = new Set<Refund['status']>(['requested', 'pending', 'manual']);

function label(kind: Adjustment['kind']): string {
  return {
    partial_cancellation: 'Partial cancellation',
    replacement: 'Replacement',
    fee_change: 'Fee change',
    manual_price: 'Manual price change',
  }[kind];
}

/**
 * The link a rise on a prepaid order becomes: its amount, expiry and payment method. Undefined
 * (a task instead) when no enabled payment method can take it.
 */
async function planCollection(
  deps: AppDeps,
  tx: StorageTx,
  order: Order,
  attempts: readonly PaymentAttempt[],
  amount: number,
  expiresAt: string | undefined,
  at: string,
): Promise<Result<{ amount: number; expiresAt: string; paymentMethodId: string } | undefined>> {
  const refusal = await linkRefusal(tx, order);
  if (refusal) return refusal;
  const pm = await linkMethod(tx, attempts);
  if (!pm.ok || methodRefusal(pm.value, amount, order.currency)) return ok(undefined);
  const plan = planLink({
    outstanding: amount,
    expiresAt: expiresAt ?? new Date(deps.clock.now().getTime() + DEFAULT_LINK_HOURS * 3_600_000).toISOString(),
    now: at,
  });
  if (!plan.ok) return plan;
  return ok({ ...plan.value, paymentMethodId: pm.value.id });
}
