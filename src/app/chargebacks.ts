import { canMoveChargeback, type Chargeback, type ChargebackStatus } from '../domain/chargeback.js';
import { formatDecimal } from '../domain/money.js';
import type { PaymentAttempt } from '../domain/order.js';
import type { PaymentStatus } from '../domain/order-status.js';
import { chargebackDecidedEvent, chargebackOpenedEvent, chargebackTask } from '../domain/chargeback-notice.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { recordEvents } from './record-events.js';
import { paymentStatusNow } from './balance.js';
import { completeIfDone } from './complete-order.js';

export interface ChargebackInput {
  orderId: string;
  amount: number;
  reasonCode: string;
  paymentId?: string;
  providerRef?: string;
  note?: string;
}

/** Records a chargeback an operator learned of (the provider's letter, its cabinet). */
export async function openChargeback(deps: AppDeps, input: ChargebackInput, actor: Actor): Promise<Result<Chargeback>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    const attempts = await tx.listAttempts(order.id);
    const attempt = input.paymentId
      ? attempts.find((a) => a.id === input.paymentId)
      : attempts.find((a) => a.status === 'succeeded');
    if (!attempt || attempt.status !== 'succeeded')
      return fail(
        'order_not_paid',
        `Order ${order.reference} has no paid payment${input.paymentId ? ` ${input.paymentId}` : ''} to charge back.`,
      );
    if (input.providerRef && (await tx.findChargebackByProviderRef(attempt.id, input.providerRef))) {
      return fail('chargeback_exists', `Chargeback ${input.providerRef} is already recorded for this payment.`);
    }
    // Disputes not won have taken their money back already: together they cannot exceed the payment.
    const disputed = (await tx.listChargebacks(order.id))
      .filter((c) => c.attemptId === attempt.id && c.status !== 'won')
      .reduce((sum, c) => sum + c.amount, 0);
    if (disputed + input.amount > attempt.amount) {
      const money = (n: number) => `${formatDecimal(n, attempt.currency)} ${attempt.currency}`;
      return fail(
        'chargeback_exceeds_payment',
        `A chargeback cannot exceed the payment of ${money(attempt.amount)}${disputed > 0 ? `, of which chargebacks already hold ${money(disputed)}` : ''}.`,
      );
    }
    return ok(await recordChargebackInTx(deps, tx, attempt, { ...input, status: 'opened' }, 'api', actor, at));
  });
}

/**
 * Records a chargeback under the order's lock: the payment status follows, the timeline and a
 * task for accounting tell what happened. (A provider's notice is decided by decideChargebackNotice.)
 */
export async function recordChargebackInTx(
  deps: AppDeps,
  tx: StorageTx,
  attempt: PaymentAttempt,
  input: { amount: number; reasonCode: string; providerRef?: string; note?: string; status: ChargebackStatus },
  source: Chargeback['source'],
  actor: Actor,
  at: string,
): Promise<Chargeback> {
  const order = (await tx.lockOrder(attempt.orderId))!;
  const cb: Chargeback = {
    id: deps.random.id('cb'),
    orderId: order.id,
    attemptId: attempt.id,
    amount: input.amount,
    currency: attempt.currency,
    reasonCode: input.reasonCode,
    status: input.status,
    source,
    providerRef: input.providerRef ?? null,
    note: input.note ?? null,
    actor,
    createdAt: at,
    updatedAt: at,
  };
  await tx.insertChargeback(cb);
  const paymentStatus = await syncPaymentStatus(tx, order.id, order.paymentStatus, at);
  await recordEvents(deps, tx, order.id, at, [
    chargebackOpenedEvent(cb, attempt, order.paymentStatus, paymentStatus, actor),
  ]);
  if (cb.status !== 'opened') await decided(deps, tx, cb, cb.status, actor, at);
  await openTasks(deps, tx, [chargebackTask(cb, cb.providerRef ?? cb.id, order)], at);
  return cb;
}

/** Records the outcome of a dispute: won gives the money back to the shop, lost keeps it gone. */
export async function decideChargeback(
  deps: AppDeps,
  input: { orderId: string; chargebackId: string; status: 'won' | 'lost'; note?: string },
  actor: Actor,
): Promise<Result<Chargeback>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    const cb = order && (await tx.getChargeback(input.chargebackId));
    if (!order || !cb || cb.orderId !== order.id)
      return fail('chargeback_not_found', `Order ${input.orderId} has no chargeback ${input.chargebackId}.`);
    if (cb.status === input.status) return ok(cb);
    if (!canMoveChargeback(cb.status, input.status))
      return fail('chargeback_decided', `Chargeback ${cb.id} was already ${cb.status}.`);
    await tx.updateChargeback(cb.id, { status: input.status, note: input.note ?? cb.note, updatedAt: at });
    await decided(deps, tx, cb, input.status, actor, at);
    await completeIfDone(deps, tx, order.id, actor, at);
    return ok((await tx.getChargeback(cb.id))!);
  });
}

async function decided(
  deps: AppDeps,
  tx: StorageTx,
  cb: Chargeback,
  status: ChargebackStatus,
  actor: Actor,
  at: string,
) {
  const order = (await tx.getOrder(cb.orderId))!;
  const paymentStatus = await syncPaymentStatus(tx, order.id, order.paymentStatus, at);
  await recordEvents(deps, tx, order.id, at, [
    chargebackDecidedEvent(cb, status, order.paymentStatus, paymentStatus, actor),
  ]);
}

async function syncPaymentStatus(tx: StorageTx, orderId: string, before: PaymentStatus, at: string) {
  const paymentStatus = await paymentStatusNow(tx, orderId);
  if (paymentStatus !== before) await tx.updateOrder(orderId, { paymentStatus, updatedAt: at });
  return paymentStatus;
}
