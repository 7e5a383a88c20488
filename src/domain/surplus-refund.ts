import type { Adjustment } from './adjustment.js';
import { formatDecimal } from './money.js';
import type { Order, PaymentAttempt } from './order.js';
import { outstandingOf } from './payment-link.js';
import { surplusRefundId, type Refund } from './refund.js';
import type { NewTask } from './timeline.js';

/** The refund of a whole surplus payment that Settle makes by itself, as decided under the order's lock. */
export interface SurplusRefundPlan {
  id: string;
  attemptId: string;
  amount: number;
  reason: string;
}

export interface SurplusRefundInput {
  /** The order as it was before the payment event. */
  order: Order;
  /** The order's attempts with the event applied: the surplus one is succeeded now. */
  attempts: readonly PaymentAttempt[];
  attemptId: string;
  refunds: readonly Refund[];
  adjustments: readonly Pick<Adjustment, 'refundId'>[];
  /** The tasks the event's decision opens. */
  tasks: readonly NewTask[];
  /** The surplus payment's method has auto_refund_surplus and its connector a refund call. */
  autoRefund: boolean;
}

/**
 * Pure: whether the double payment an event revealed is refunded automatically, and the tasks it
 * opens then. Only a payment that is surplus as a whole (the order was paid in full without it),
 * whose amount the provider did not contradict, and that was never refunded this way before; the
 * double_payment task still opens, saying the refund is on its way, and the refund resolves it.
 * Anything else leaves the tasks as decided: a person refunds what is surplus.
 */
export function planSurplusRefund(input: SurplusRefundInput): { refund?: SurplusRefundPlan; tasks: NewTask[] } {
  const tasks = [...input.tasks];
  const attempt = input.attempts.find((a) => a.id === input.attemptId);
  const task = tasks.find((t) => t.kind === 'double_payment' && t.attemptId === input.attemptId);
  if (!input.autoRefund || !attempt || attempt.status !== 'succeeded' || !task) return { tasks };
  const contradicted = tasks.some(
    (t) => t.attemptId === attempt.id && (t.kind === 'amount_mismatch' || t.kind === 'currency_mismatch'),
  );
  const id = surplusRefundId(attempt.id);
  const surplus = -outstandingOf(input.order.amount, input.attempts, input.refunds, input.adjustments);
  if (contradicted || surplus < attempt.amount || input.refunds.some((r) => r.id === id)) return { tasks };

  const cur = attempt.currency;
  const money = (n: number) => `${formatDecimal(n, cur)} ${cur}`;
  const paid = input.attempts.filter((a) => a.status === 'succeeded');
  const reason =
    `Order ${input.order.reference} is paid more than it costs: ` +
    `${paid.map((a) => `${a.providerRef} (${formatDecimal(a.amount, cur)})`).join(', ')} for an amount of ${money(input.order.amount)}. ` +
    `A refund is on its way: Settle refunds the surplus payment ${attempt.providerRef} of ${money(attempt.amount)} automatically (refund ${id}); this task is resolved when that refund succeeds.`;
  tasks[tasks.indexOf(task)] = { ...task, reason };
  return {
    refund: {
      id,
      attemptId: attempt.id,
      amount: attempt.amount,
      reason: `surplus payment ${attempt.providerRef} of a double payment (order ${input.order.reference} was already paid), refunded automatically`,
    },
    tasks,
  };
}

/**
 * Pure: whether the double payment `attemptId` revealed has gone back, by whichever route (Settle's
 * automatic refund, a person's refund out of either payment, an adjustment's refund, a rise of the
 * amount that absorbs it): the order holds nothing beyond what it costs any more, or that payment
 * itself went back as surplus in full (the order may hold another surplus payment, with its own
 * task). Judged on refunds that succeeded: one still on its way settles nothing yet.
 */
export function doublePaymentSettled(input: {
  amount: number;
  attempts: readonly Pick<PaymentAttempt, 'id' | 'status' | 'amount'>[];
  attemptId: string | null | undefined;
  refunds: readonly Refund[];
  adjustments: readonly Pick<Adjustment, 'refundId'>[];
}): boolean {
  const settled = input.refunds.filter((r) => r.status === 'succeeded');
  if (outstandingOf(input.amount, input.attempts, settled, input.adjustments) >= 0) return true;
  const attempt = input.attempts.find((a) => a.id === input.attemptId);
  const returned = settled.filter((r) => r.attemptId === input.attemptId).reduce((s, r) => s + r.surplusAmount, 0);
  return attempt !== undefined && returned >= attempt.amount;
}
