import { canMoveChargeback, type Chargeback, type ChargebackStatus } from '../domain/chargeback.js';
import { formatDecimal } from '../domain/money.js';
import type { PaymentAttempt } from '../domain/order.js';
import { PAYMENT_STATUS_LABELS, type PaymentStatus } from '../domain/order-status.js';
import type { ChargebackNotice } from '../domain/provider-notice.js';
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
 * task for accounting tell what happened. Used by the API and by provider notices.
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
  const money = `${formatDecimal(cb.amount, cb.currency)} ${cb.currency}`;
  await recordEvents(deps, tx, order.id, at, [
    {
      kind: 'chargeback.opened',
      actor,
      summary: `Chargeback of ${money} opened on ${attempt.providerRef} (reason ${cb.reasonCode}). Payment status: ${PAYMENT_STATUS_LABELS[order.paymentStatus]} → ${PAYMENT_STATUS_LABELS[paymentStatus]}.`,
      attemptId: attempt.id,
      data: { chargeback_id: cb.id, amount: cb.amount },
    },
  ]);
  if (cb.status !== 'opened') await decided(deps, tx, cb, cb.status, actor, at);
  await openTasks(
    deps,
    tx,
    [
      {
        kind: 'chargeback',
        orderId: order.id,
        attemptId: attempt.id,
        reason: `Chargeback ${cb.providerRef ?? cb.id} of ${money} (reason ${cb.reasonCode}) on order ${order.reference}: send the evidence to the acquirer, then record won or lost.`,
      },
    ],
    at,
  );
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

/** A provider's notice of a dispute: a repeat (same dispute and status) changes nothing. */
export async function applyChargebackNoticeInTx(
  deps: AppDeps,
  tx: StorageTx,
  attempt: PaymentAttempt,
  notice: ChargebackNotice,
  at: string,
): Promise<'applied' | 'duplicate' | 'stale'> {
  await tx.lockOrder(attempt.orderId);
  const known = await tx.findChargebackByProviderRef(attempt.id, notice.ref);
  const existing = known ?? (await adoptManual(deps, tx, attempt, notice, at));
  if (!existing) {
    await recordChargebackInTx(
      deps,
      tx,
      attempt,
      { amount: notice.amount, reasonCode: notice.reasonCode, providerRef: notice.ref, status: notice.status },
      'provider',
      'provider',
      at,
    );
    return 'applied';
  }
  if (existing.status === notice.status) return known ? 'duplicate' : 'applied';
  if (!canMoveChargeback(existing.status, notice.status)) return 'stale';
  await tx.updateChargeback(existing.id, { status: notice.status, updatedAt: at });
  await decided(deps, tx, existing, notice.status, 'provider', at);
  return 'applied';
}

/**
 * The provider's first notice of a dispute that an operator already recorded by hand (from the
 * acquirer's letter, without its dispute id): the same payment and amount, still unmatched. It
 * takes the provider's id instead of being counted a second time.
 */
async function adoptManual(
  deps: AppDeps,
  tx: StorageTx,
  attempt: PaymentAttempt,
  notice: ChargebackNotice,
  at: string,
): Promise<Chargeback | undefined> {
  const manual = (await tx.listChargebacks(attempt.orderId))
    .filter(
      (c) => c.attemptId === attempt.id && c.source === 'api' && c.providerRef === null && c.amount === notice.amount,
    )
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))[0];
  if (!manual) return undefined;
  await tx.updateChargeback(manual.id, { providerRef: notice.ref, updatedAt: at });
  await recordEvents(deps, tx, attempt.orderId, at, [
    {
      kind: 'chargeback.matched',
      actor: 'provider',
      summary: `The acquirer's dispute ${notice.ref} is the chargeback recorded by hand (${manual.id}); it is not counted twice.`,
      attemptId: attempt.id,
      data: { chargeback_id: manual.id, provider_ref: notice.ref },
    },
  ]);
  return { ...manual, providerRef: notice.ref };
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
  const money = `${formatDecimal(cb.amount, cb.currency)} ${cb.currency}`;
  const what = status === 'won' ? 'won: the money stays with the shop' : 'lost: the money went back to the card holder';
  await recordEvents(deps, tx, order.id, at, [
    {
      kind: `chargeback.${status}`,
      actor,
      summary: `Chargeback of ${money} ${what}. Payment status: ${PAYMENT_STATUS_LABELS[order.paymentStatus]} → ${PAYMENT_STATUS_LABELS[paymentStatus]}.`,
      attemptId: cb.attemptId,
      data: { chargeback_id: cb.id, amount: cb.amount },
    },
  ]);
}

async function syncPaymentStatus(tx: StorageTx, orderId: string, before: PaymentStatus, at: string) {
  const paymentStatus = await paymentStatusNow(tx, orderId);
  if (paymentStatus !== before) await tx.updateOrder(orderId, { paymentStatus, updatedAt: at });
  return paymentStatus;
}
