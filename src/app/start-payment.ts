import { formatDecimal } from '../domain/money.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { acceptsNewAttempt } from '../domain/order-status.js';
import { fail, ok, type Result } from '../domain/result.js';
import { isAttemptOpen } from '../domain/attempt-status.js';
import { linkState, outstandingOf } from '../domain/payment-link.js';
import { derivePaymentStatus } from '../domain/payment-status.js';
import { paymentStatusNow } from './balance.js';
import type { ReferenceScheme } from '../ports/connector.js';
import type { LockedOrder, StorageTx } from '../ports/storage.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import type { Actor, NewOrderEvent } from '../domain/timeline.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';
import { loadMethod, methodRefusal, type LoadedMethod } from './payment-methods.js';
import { supersedeOlderAttempts } from './supersede-attempts.js';

/** How many provider references to try when a retry suffix collides with another order's reference. */
const REF_TRIES = 5;

/**
 * Starts a new payment attempt for the order's current amount and returns it with the customer's
 * next step. The attempt is committed first (the intent), then the connector is called outside
 * the transaction, then its answer is committed; a retry is a new attempt on the same order. A
 * connector that starts locally (no call to the provider) has its next step built inside the
 * attempt's transaction instead, and the attempt is committed with it. Once
 * it is started, the order's older attempts still open are canceled at the provider (or recorded
 * as staying open where the connector cannot cancel); that never keeps the new one from starting.
 */
export async function startPayment(
  deps: AppDeps,
  input: { orderId: string; paymentMethodId: string; paymentLinkId?: string },
  actor: Actor,
): Promise<Result<PaymentAttempt>> {
  const at = nowIso(deps);
  const startInput = (
    pm: PaymentMethodRecord,
    order: Order,
    attemptId: string,
    providerRef: string,
    amount: number,
  ) => ({
    providerRef,
    orderReference: order.reference,
    description: `Order ${order.reference}`,
    ...(order.customer.email && { customerEmail: order.customer.email }),
    amount,
    currency: order.currency,
    callbackUrl: `${deps.publicUrl}/callbacks/${pm.id}`,
    returnUrl: `${deps.publicUrl}/return/${attemptId}`,
  });
  type Started = Awaited<ReturnType<LoadedMethod['startPayment']>>;

  const created = await deps.storage.transaction(
    async (
      tx,
    ): Promise<
      Result<{
        attempt: PaymentAttempt;
        order: Order;
        older: readonly PaymentAttempt[];
        reused: boolean;
        local: Started | null;
        pm: PaymentMethodRecord;
        connector: LoadedMethod;
      }>
    > => {
      // The method with the lock and the order's records, asked for together: on PostgreSQL they
      // go out with BEGIN in one round trip (the method's row needs no lock; the lock decides).
      const [pm, locked] = await Promise.all([
        tx.getPaymentMethod(input.paymentMethodId),
        tx.lockOrderState(input.orderId),
      ]);
      if (!pm) return fail('payment_method_unknown', `There is no payment method ${input.paymentMethodId}.`);
      const method = loadMethod(deps, pm);
      if (!method.ok) return method;
      const connector = method.value;
      if (!locked) return fail('order_not_found', `There is no order ${input.orderId}.`);
      const { order, attempts, refunds, chargebacks } = locked;
      // A cancel waiting for the acquirer's answer would not cover a payment started now: the
      // janitor would settle the cancel and leave the new payment open on an order meant canceled.
      if ((await tx.listOperations({ orderId: order.id, kind: 'cancel', status: 'requested', limit: 1 })).length > 0) {
        return fail(
          'cancel_in_progress',
          `Order ${order.reference} is being canceled (waiting for the acquirer's answer); it takes no new payment.`,
        );
      }
      let amount = order.amount;
      if (input.paymentLinkId) {
        const through = await linkPayable(tx, locked, input.paymentLinkId, at);
        if (!through.ok) return through;
        if (through.value.open)
          return ok({ attempt: through.value.open, order, older: attempts, reused: true, local: null, pm, connector });
        amount = through.value.amount;
      } else if (order.paymentStatus === 'paid' || !acceptsNewAttempt(order.status)) {
        return fail(
          'order_not_payable',
          `Order ${order.reference} is ${order.status.replace('_', ' ')} (payment ${order.paymentStatus}); it takes no new payment.`,
        );
      }
      const refusal = methodRefusal(pm, amount, order.currency);
      if (refusal) return fail('payment_method_refused', refusal);
      if (connector.currencies && !connector.currencies.includes(order.currency)) {
        return fail(
          'payment_method_refused',
          `${connector.title} takes ${connector.currencies.join(', ')}; this order is in ${order.currency}.`,
        );
      }
      const scheme = connector.references();
      for (let i = 0; i < REF_TRIES; i++) {
        const ref =
          scheme.kind === 'counter'
            ? await numberedRef(tx, scheme, at)
            : connector.providerRef(order.reference, attempts.length + 1 + i);
        if (!ref.ok) return ref;
        const id = deps.random.id('pay');
        // Built here, it is committed with the attempt (Connector.startsLocally); a failure is
        // recorded after the commit, as a provider's refusal would be.
        const local = connector.startsLocally
          ? await connector.startPayment(startInput(pm, order, id, ref.value, amount))
          : null;
        const attempt: PaymentAttempt = {
          id,
          orderId: order.id,
          paymentMethodId: pm.id,
          connector: connector.id,
          amount,
          currency: order.currency,
          providerRef: ref.value,
          nextStep: local?.ok ? local.value.next : null,
          providerPaymentId: local?.ok ? (local.value.providerPaymentId ?? null) : null,
          status: 'created',
          verifiedBy: null,
          providerStatus: null,
          errorCode: null,
          paymentLinkId: input.paymentLinkId ?? null,
          createdAt: at,
          updatedAt: at,
        };
        if (!(await tx.insertAttempt(attempt, connector.normalizeRef(ref.value)))) continue;
        const status = order.status === 'payment_failed' ? 'pending_payment' : order.status;
        await tx.updateOrder(order.id, {
          status,
          paymentStatus: derivePaymentStatus([...attempts, attempt], refunds, chargebacks),
          updatedAt: at,
        });
        const events: NewOrderEvent[] = [
          {
            kind: 'payment.created',
            actor,
            summary: `Payment ${ref.value} started with ${pm.name} for ${formatDecimal(amount, order.currency)} ${order.currency}${input.paymentLinkId ? ` through payment link ${input.paymentLinkId}` : ''}; the customer is sent to the payment page.`,
            attemptId: attempt.id,
            data: { amount, ...(input.paymentLinkId ? { link_id: input.paymentLinkId } : {}) },
          },
        ];
        if (status !== order.status) {
          events.push({
            kind: 'order.status_changed',
            actor,
            summary: 'Order status: payment failed → pending payment (a new payment was started).',
            attemptId: attempt.id,
          });
        }
        await recordEvents(deps, tx, order.id, at, events);
        return ok({ attempt, order, older: attempts, reused: false, local, pm, connector });
      }
      return fail('provider_ref_taken', `Could not find a free provider reference for order ${order.reference}.`);
    },
  );
  if (!created.ok) return created;
  const { attempt, order, older, reused, local, pm, connector } = created.value;
  if (reused) return ok(attempt);

  const step =
    local ?? (await connector.startPayment(startInput(pm, order, attempt.id, attempt.providerRef, attempt.amount)));
  const doneAt = nowIso(deps);
  if (!step.ok) {
    await deps.storage.transaction(async (tx) => {
      const order = await tx.lockOrder(attempt.orderId);
      await tx.updateAttempt(attempt.id, { status: 'failed', errorCode: step.error.code, updatedAt: doneAt });
      if (order) {
        await tx.updateOrder(order.id, { paymentStatus: await paymentStatusNow(tx, order.id), updatedAt: doneAt });
        await recordEvents(deps, tx, order.id, doneAt, [
          {
            kind: 'payment.failed',
            actor: 'system',
            summary: `Payment ${attempt.providerRef} could not be started: ${step.error.message}`,
            attemptId: attempt.id,
          },
        ]);
      }
    });
    return step;
  }
  let started = attempt;
  if (!local) {
    const answer = { nextStep: step.value.next, providerPaymentId: step.value.providerPaymentId ?? null };
    await deps.storage.transaction((tx) => tx.updateAttempt(attempt.id, { ...answer, updatedAt: doneAt }));
    started = { ...attempt, ...answer, updatedAt: doneAt };
  }
  // Live at the provider now: the order's older open attempts are canceled there, so the customer
  // cannot pay twice. A new attempt that could not be started leaves them as they are.
  await supersedeOlderAttempts(deps, attempt, actor, older);
  return ok(started);
}

/**
 * The next number of the provider's range, handed out under the counter's row lock (inside the
 * order's transaction), so no two attempts anywhere get the same one. A used-up range refuses.
 */
async function numberedRef(
  tx: StorageTx,
  scheme: Extract<ReferenceScheme, { kind: 'counter' }>,
  at: string,
): Promise<Result<string>> {
  const n = await tx.nextReferenceNumber(scheme.key, scheme, at);
  if (n === undefined) {
    return fail(
      'reference_range_exhausted',
      `Every order number of this payment method's range (${scheme.from}–${scheme.to}) has been used: ask the provider for a new range and enter it in the payment method's settings.`,
      { from: scheme.from, to: scheme.to },
    );
  }
  return ok(String(n));
}

/**
 * Whether a link still takes money, under the order's lock: active, not expired, and the order
 * still owes its amount. A customer who comes back to a link with a payment open through it is
 * sent to that payment, not given a second one.
 */
async function linkPayable(
  tx: StorageTx,
  { order, attempts, refunds, adjustments }: LockedOrder,
  linkId: string,
  at: string,
): Promise<Result<{ amount: number; open?: PaymentAttempt }>> {
  const link = await tx.getPaymentLink(linkId);
  if (!link || link.orderId !== order.id) return fail('payment_link_not_found', 'There is no such payment link.');
  const state = linkState(link, at);
  if (state !== 'active') return fail(`payment_link_${state}`, LINK_CLOSED[state]);
  if (order.status === 'canceled' || order.status === 'completed')
    return fail('order_not_payable', `Order ${order.reference} is ${order.status}; it takes no payment.`);
  const open = attempts.find((a) => a.paymentLinkId === link.id && isAttemptOpen(a.status) && a.nextStep);
  if (open) return ok({ amount: link.amount, open });
  if (outstandingOf(order.amount, attempts, refunds, adjustments) < link.amount) {
    return fail('nothing_to_collect', `Order ${order.reference} no longer owes what this link asks for.`);
  }
  return ok({ amount: link.amount });
}

const LINK_CLOSED: Record<'revoked' | 'expired' | 'paid', string> = {
  revoked: 'This payment link was replaced or withdrawn; it takes no payment.',
  expired: 'This payment link has expired; it takes no payment.',
  paid: 'This payment link has been paid.',
};
