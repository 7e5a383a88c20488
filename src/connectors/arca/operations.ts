// What moves money after the start, each checked against getOrderStatusExtended.do first so a
// call sent again never does twice what was done once: reverse.do (cancel of an unpaid order,
// void of a held one), deposit.do (capture), refund.do (partial or full refunds).
import type { ProviderEvent } from '../../domain/provider-event.js';
import { ok, type Result } from '../../domain/result.js';
import type { ConnectorContext, PaymentRef, RefundAnswer, RefundInput } from '../../ports/connector.js';
import { answerInvalid, notSent, type CallFailure } from '../../ports/provider-failure.js';
import { callApi } from './api.js';
import type { ArcaSettings } from './settings.js';
import { fetchOrderState, mdOrderOf, type OrderState } from './status.js';
import { isMinorAmount } from '../../domain/money.js';
import { wireAmount } from './wire.js';

type Outcome = Promise<Result<ProviderEvent, CallFailure>>;

/** Orders a reversal may release: registered or on their way (0, 5, 7), or held (1). Never a deposited one. */
const REVERSIBLE_UNPAID = new Set([0, 1, 5, 7]);

/**
 * Cancels an order not paid: reverse.do only while the status check shows it open or held, so a
 * paid order is never reversed by a cancel (its "succeeded" status is answered instead).
 */
export function cancelOrder(ctx: ConnectorContext, s: ArcaSettings, p: PaymentRef): Outcome {
  return reverseIf(ctx, s, p, REVERSIBLE_UNPAID, 'cancel');
}

/** Releases a held payment (orderStatus 1) with reverse.do; any other status is answered as it is. */
export function voidHold(ctx: ConnectorContext, s: ArcaSettings, p: PaymentRef): Outcome {
  return reverseIf(ctx, s, p, new Set([1]), 'void');
}

async function reverseIf(
  ctx: ConnectorContext,
  s: ArcaSettings,
  p: PaymentRef,
  reversible: ReadonlySet<number>,
  what: 'cancel' | 'void',
): Outcome {
  const id = mdOrderOf(p);
  if (!id.ok) return id;
  const before = await fetchOrderState(ctx, s, p);
  if (!before.ok) return before;
  if (!reversible.has(before.value.orderStatus)) return ok(before.value.event);
  const reversed = await callApi(
    ctx,
    s,
    'reverse.do',
    { orderId: id.value },
    `${what} of order ${p.providerRef}`,
    () => ({
      kind: 'answer',
      value: true,
    }),
  );
  if (!reversed.ok) return reversed;
  return after(ctx, s, p, { ...before.value.event, status: 'canceled', providerStatus: 'reversed' });
}

/**
 * Takes `captureAmount` of a held payment with deposit.do. Only from orderStatus 1: a payment
 * already deposited (a capture sent again) is answered as it is, never deposited twice.
 */
export async function captureHold(
  ctx: ConnectorContext,
  s: ArcaSettings,
  p: PaymentRef & { captureAmount: number },
): Outcome {
  const id = mdOrderOf(p);
  if (!id.ok) return id;
  const amount = p.captureAmount;
  if (!isMinorAmount(amount) || amount <= 0 || amount > p.amount)
    return notSent('amount_invalid', `A capture of ${amount} does not fit payment ${p.providerRef} of ${p.amount}.`);
  const before = await fetchOrderState(ctx, s, p);
  if (!before.ok) return before;
  if (before.value.orderStatus !== 1) return ok(before.value.event);
  const params = { orderId: id.value, amount: wireAmount(amount) };
  const done = await callApi(ctx, s, 'deposit.do', params, `capture of order ${p.providerRef}`, () => ({
    kind: 'answer',
    value: true,
  }));
  if (!done.ok) return done;
  const event: ProviderEvent = { ...before.value.event, status: 'succeeded', providerStatus: 'deposited', amount };
  return after(ctx, s, p, event);
}

/** The status after an operation the gateway accepted; if that check gets no answer, what the operation itself said. */
async function after(ctx: ConnectorContext, s: ArcaSettings, p: PaymentRef, accepted: ProviderEvent): Outcome {
  const state = await fetchOrderState(ctx, s, p);
  return ok(state.ok ? state.value.event : { ...accepted, errorCode: null });
}

/**
 * Refunds `amount` with refund.do (BPC: repeatable, up to the deposited amount in total). Sent
 * again after no answer (`resend`), it first asks the status and relies on
 * paymentAmountInfo.refundedAmount: refunded now less `refundedBefore` (what Settle's succeeded
 * refunds of this payment add up to) is this refund's amount → it was made, answered without a
 * call; 0 → it was not, sent again; anything else (another refund in flight, one made at the
 * bank) or no refundedAmount → outcome unknown, sent nothing, for a person to settle.
 */
export async function refundPayment(
  ctx: ConnectorContext,
  s: ArcaSettings,
  input: RefundInput,
): Promise<Result<RefundAnswer, CallFailure>> {
  const p = input.payment;
  const id = mdOrderOf(p);
  if (!id.ok) return id;
  if (!isMinorAmount(input.amount) || input.amount <= 0)
    return notSent('amount_invalid', `A refund of ${input.amount} cannot be sent to ArCa.`);
  const what = `refund ${input.refundId} of order ${p.providerRef}`;
  if (input.resend) {
    const state = await fetchOrderState(ctx, s, p);
    if (!state.ok) return state;
    const made = refundMade(state.value, input);
    if (made === 'unknown') {
      const refunded = state.value.amounts.refunded;
      return answerInvalid(
        `ArCa's status of order ${p.providerRef} does not tell whether ${what} was made (refunded ${refunded ?? 'not stated'}, ${input.refundedBefore} before it): it is not sent again.`,
        { refundedAmount: refunded ?? null, refundedBefore: input.refundedBefore },
      );
    }
    if (made) return ok({ status: 'succeeded', providerRef: null });
  }
  const params = { orderId: id.value, amount: wireAmount(input.amount) };
  const sent = await callApi(ctx, s, 'refund.do', params, what, () => ({ kind: 'answer', value: true }));
  if (!sent.ok) return sent;
  return ok({ status: 'succeeded', providerRef: null });
}

function refundMade(state: OrderState, input: RefundInput): boolean | 'unknown' {
  const refunded = state.amounts.refunded;
  if (refunded === undefined) return 'unknown';
  const delta = refunded - input.refundedBefore;
  if (delta === input.amount) return true;
  if (delta === 0) return false;
  return 'unknown';
}
