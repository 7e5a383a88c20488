import { canMoveChargeback, type Chargeback, type ChargebackStatus } from './chargeback.js';
import { planEffects, type EffectPlan, type EffectSettings, type Subscriber } from './effect-plan.js';
import { formatDecimal } from './money.js';
import type { Order, PaymentAttempt } from './order.js';
import { PAYMENT_STATUS_LABELS, type PaymentStatus } from './order-status.js';
import { derivePaymentStatus } from './payment-status.js';
import type { ChargebackNotice } from './provider-notice.js';
import type { Refund } from './refund.js';
import type { Actor, NewOrderEvent, NewTask } from './timeline.js';

/** A chargeback to record: the app gives it its id and times. */
export type ChargebackDraft = Omit<Chargeback, 'id' | 'createdAt' | 'updatedAt'>;

export interface ChargebackNoticeInput<E extends Subscriber> {
  order: Order;
  attempts: readonly PaymentAttempt[];
  refunds: readonly Refund[];
  chargebacks: readonly Chargeback[];
  /** The paid attempt the dispute is about. */
  attempt: PaymentAttempt;
  notice: ChargebackNotice;
  effects: EffectSettings<E>;
}

/** Every change a provider's dispute notice makes, as values. */
export interface ChargebackChange<E> {
  outcome: 'applied' | 'duplicate' | 'stale';
  /** A dispute seen for the first time: its record, and its timeline events, which name it (`chargeback_id`) once it has its id. */
  opened?: { chargeback: ChargebackDraft; events: NewOrderEvent[] };
  /** A dispute already recorded: what changes in it, and its timeline events. */
  update?: { id: string; patch: { providerRef?: string; status?: ChargebackStatus }; events: NewOrderEvent[] };
  /** The order's payment status, when it moves. */
  paymentStatus?: PaymentStatus;
  /** What the events set off (webhooks), in the order of the events. */
  effects: EffectPlan<E>;
  tasks: NewTask[];
}

/**
 * Pure: what a provider's dispute notice does. A repeat (same dispute, same status) changes
 * nothing; a first notice of a dispute an operator recorded by hand adopts that record instead of
 * counting it twice; a dispute decided (won, lost) is never reopened or decided again.
 */
export function decideChargebackNotice<E extends Subscriber>(input: ChargebackNoticeInput<E>): ChargebackChange<E> {
  const change = decideDispute(input);
  const events = change.opened?.events ?? change.update?.events ?? [];
  const order = change.paymentStatus ? { ...input.order, paymentStatus: change.paymentStatus } : input.order;
  const records = { attempts: input.attempts, refunds: input.refunds };
  return { ...change, effects: planEffects(events, order, input.effects, records) };
}

type Decided = Omit<ChargebackChange<never>, 'effects'>;

function decideDispute(input: Omit<ChargebackNoticeInput<never>, 'effects'>): Decided {
  const { order, attempt, notice } = input;
  const paymentStatusWith = (chargebacks: readonly Chargeback[]) =>
    derivePaymentStatus(input.attempts, input.refunds, chargebacks);
  const known = input.chargebacks.find((c) => c.attemptId === attempt.id && c.providerRef === notice.ref);
  const manual = known ? undefined : adoptable(input);
  const existing = known ?? (manual && { ...manual, providerRef: notice.ref });
  if (!existing) {
    const chargeback: ChargebackDraft = {
      orderId: order.id,
      attemptId: attempt.id,
      amount: notice.amount,
      currency: attempt.currency,
      reasonCode: notice.reasonCode,
      status: notice.status,
      source: 'provider',
      providerRef: notice.ref,
      note: null,
      actor: 'provider',
    };
    const after = paymentStatusWith([...input.chargebacks, { ...chargeback, id: '', createdAt: '', updatedAt: '' }]);
    const events = [chargebackOpenedEvent(chargeback, attempt, order.paymentStatus, after, 'provider')];
    if (notice.status !== 'opened')
      events.push(chargebackDecidedEvent(chargeback, notice.status, after, after, 'provider'));
    return {
      outcome: 'applied',
      opened: { chargeback, events },
      ...(after !== order.paymentStatus && { paymentStatus: after }),
      tasks: [chargebackTask(chargeback, notice.ref, order)],
    };
  }
  const events: NewOrderEvent[] = manual ? [matchedEvent(manual, notice, attempt)] : [];
  const adopted = manual ? { providerRef: notice.ref } : {};
  const unchanged = (outcome: Decided['outcome']): Decided => ({
    outcome,
    ...(manual && { update: { id: manual.id, patch: adopted, events } }),
    tasks: [],
  });
  if (existing.status === notice.status) return unchanged(known ? 'duplicate' : 'applied');
  if (!canMoveChargeback(existing.status, notice.status)) return unchanged('stale');
  const decided = { ...existing, status: notice.status };
  const after = paymentStatusWith(input.chargebacks.map((c) => (c.id === decided.id ? decided : c)));
  events.push(chargebackDecidedEvent(existing, notice.status, order.paymentStatus, after, 'provider'));
  return {
    outcome: 'applied',
    update: { id: existing.id, patch: { ...adopted, status: notice.status }, events },
    ...(after !== order.paymentStatus && { paymentStatus: after }),
    tasks: [],
  };
}

/**
 * The provider's first notice of a dispute that an operator already recorded by hand (from the
 * acquirer's letter, without its dispute id): the same payment and amount, still unmatched.
 */
function adoptable(input: Omit<ChargebackNoticeInput<never>, 'effects'>): Chargeback | undefined {
  return input.chargebacks
    .filter(
      (c) =>
        c.attemptId === input.attempt.id &&
        c.source === 'api' &&
        c.providerRef === null &&
        c.amount === input.notice.amount,
    )
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))[0];
}

function matchedEvent(manual: Chargeback, notice: ChargebackNotice, attempt: PaymentAttempt): NewOrderEvent {
  return {
    kind: 'chargeback.matched',
    actor: 'provider',
    summary: `The acquirer's dispute ${notice.ref} is the chargeback recorded by hand (${manual.id}); it is not counted twice.`,
    attemptId: attempt.id,
    data: { chargeback_id: manual.id, provider_ref: notice.ref },
  };
}

type Described = Pick<Chargeback, 'amount' | 'currency' | 'reasonCode' | 'attemptId'> & { id?: string };

const moneyOf = (cb: Described) => `${formatDecimal(cb.amount, cb.currency)} ${cb.currency}`;
const moved = (before: PaymentStatus, after: PaymentStatus) =>
  `Payment status: ${PAYMENT_STATUS_LABELS[before]} → ${PAYMENT_STATUS_LABELS[after]}.`;
/** The event's data; a chargeback without its id yet gets it from the app. */
const dataOf = (cb: Described) => ({ ...(cb.id !== undefined && { chargeback_id: cb.id }), amount: cb.amount });

/** The timeline line of a chargeback recorded (by an operator or from a notice). */
export function chargebackOpenedEvent(
  cb: Described,
  attempt: Pick<PaymentAttempt, 'id' | 'providerRef'>,
  before: PaymentStatus,
  after: PaymentStatus,
  actor: Actor,
): NewOrderEvent {
  return {
    kind: 'chargeback.opened',
    actor,
    summary: `Chargeback of ${moneyOf(cb)} opened on ${attempt.providerRef} (reason ${cb.reasonCode}). ${moved(before, after)}`,
    attemptId: attempt.id,
    data: dataOf(cb),
  };
}

/** The timeline line of a dispute decided: won gives the money back to the shop, lost keeps it gone. */
export function chargebackDecidedEvent(
  cb: Described,
  status: ChargebackStatus,
  before: PaymentStatus,
  after: PaymentStatus,
  actor: Actor,
): NewOrderEvent {
  const what = status === 'won' ? 'won: the money stays with the shop' : 'lost: the money went back to the card holder';
  return {
    kind: `chargeback.${status}`,
    actor,
    summary: `Chargeback of ${moneyOf(cb)} ${what}. ${moved(before, after)}`,
    attemptId: cb.attemptId,
    data: dataOf(cb),
  };
}

/** The task for accounting that every recorded chargeback opens; `ref` is the provider's id, or Settle's. */
export function chargebackTask(cb: Described, ref: string, order: Pick<Order, 'id' | 'reference'>): NewTask {
  return {
    kind: 'chargeback',
    orderId: order.id,
    attemptId: cb.attemptId,
    reason: `Chargeback ${ref} of ${moneyOf(cb)} (reason ${cb.reasonCode}) on order ${order.reference}: send the evidence to the acquirer, then record won or lost.`,
  };
}
