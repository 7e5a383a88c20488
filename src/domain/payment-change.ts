import { planEffects, type EffectPlan, type EffectSettings, type Subscriber } from './effect-plan.js';
import type { Order, PaymentAttempt } from './order.js';
import { linkState, type PaymentLink } from './payment-link.js';
import {
  decideProviderEvent,
  type AttemptChange,
  type DecideInput,
  type EventOutcome,
  type OrderChange,
} from './provider-event.js';
import { planSurplusRefund, type SurplusRefundPlan } from './surplus-refund.js';
import type { NewOrderEvent, NewTask } from './timeline.js';

export interface PaymentChangeInput<E extends Subscriber> extends Omit<DecideInput, 'link'> {
  /** The pay-by-link the attempt was started through, as stored. */
  link?: PaymentLink;
  /** The time of the change (a link's expiry is judged at it). */
  at: string;
  effects: EffectSettings<E>;
  /** The attempt's method refunds a surplus payment by itself (auto_refund_surplus and a refund call). */
  autoRefundSurplus?: boolean;
}

/**
 * Every change a verified payment event makes to an order, as values: the app stamps ids and
 * times, builds the webhook payloads and writes it all in the transaction that locked the order.
 */
export interface PaymentChange<E> {
  outcome: EventOutcome;
  /** A sentence for the callback log: why this outcome. */
  reason: string;
  /** The attempt the event is about, and how it moves. */
  attemptId: string;
  attempt?: AttemptChange;
  order?: OrderChange;
  /** The pay-by-link's record of the payment that came through it. */
  link?: { id: string; patch: { status?: 'paid'; attemptId: string } };
  events: NewOrderEvent[];
  /** What the events set off (outbox and receipts) and the fiscal follow-up. */
  effects: EffectPlan<E>;
  /** Tasks to open; the app gives each its id, owner and timeline line. */
  tasks: NewTask[];
  /** A surplus payment refunded automatically: recorded as requested with the change, sent after the commit. */
  refund?: SurplusRefundPlan;
}

/**
 * Pure: what one verified payment event does (decideProviderEvent), what it sets off outside the
 * database and what the order's pay-by-link records. Statuses move only by their lattices, so a
 * duplicate or older event decides nothing to write but its callback record.
 */
export function decidePaymentChange<E extends Subscriber>(input: PaymentChangeInput<E>): PaymentChange<E> {
  const { link, at, effects, autoRefundSurplus, ...rest } = input;
  const state = link && linkState(link, at);
  const decision = decideProviderEvent({ ...rest, link: link && state ? { id: link.id, state } : undefined });
  const attempt = input.attempts.find((a) => a.id === input.attemptId)!;
  const order: Order = decision.order ? { ...input.order, ...defined(decision.order) } : input.order;
  const attempts: PaymentAttempt[] = input.attempts.map((a) =>
    a.id === attempt.id && decision.attempt ? { ...a, ...defined(decision.attempt) } : a,
  );
  const surplus = planSurplusRefund({
    order: input.order,
    attempts,
    attemptId: attempt.id,
    refunds: input.refunds ?? [],
    adjustments: input.adjustments ?? [],
    tasks: decision.tasks,
    autoRefund: autoRefundSurplus ?? false,
  });
  return {
    outcome: decision.outcome,
    reason: decision.reason,
    attemptId: attempt.id,
    attempt: decision.attempt,
    order: decision.order,
    // A link records the payment that came through it, even late: an expired link that was paid
    // is paid (and no longer holds the order's one active place); a revoked one stays revoked.
    link:
      link && decision.attempt?.status === 'succeeded' && link.attemptId === null
        ? {
            id: link.id,
            patch: { ...(link.status === 'active' && { status: 'paid' as const }), attemptId: attempt.id },
          }
        : undefined,
    events: decision.events,
    effects: planEffects(decision.events, order, effects, { attempts, refunds: input.refunds ?? [] }),
    tasks: surplus.tasks,
    ...(surplus.refund && { refund: surplus.refund }),
  };
}

/** A patch's set fields: storage leaves a field that is undefined in a patch as it was. */
export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
