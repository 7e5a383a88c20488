import { formatDecimal } from '../domain/money.js';
import { PAYMENT_STATUS_LABELS } from '../domain/order-status.js';
import { planRefund, surplusPartOf, type Refund, type RefundLine } from '../domain/refund.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Actor, NewOrderEvent } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks, resolveTasksInTx } from './open-tasks.js';
import { loadMethod } from './payment-methods.js';
import { recordEvents } from './record-events.js';
import { outstandingNow, paymentStatusNow } from './balance.js';
import { notSent, notSentFrom } from '../ports/provider-failure.js';
import { completeIfDone } from './complete-order.js';
import { paymentRefOf } from './payment-ref.js';
import { settleDoublePayments } from './steps/settle-double-payment.js';

export interface RefundInput {
  orderId: string;
  amount: number;
  reason: string;
  lines?: RefundLine[];
  paymentId?: string;
}

/**
 * Refunds part or all of a paid order. What the order holds beyond its amount (a double payment)
 * goes back first, out of whichever payment: that part is recorded as the refund's surplus, never
 * owed again nor refunded again by a later adjustment. The refund is recorded as requested (under
 * the order's lock, never above what is still refundable) before the provider is called outside the
 * transaction; its answer is recorded after. No answer leaves it requested for the janitor, which
 * sends it again under the same id. A provider without a refund call gets it recorded as manual:
 * a task tells accounting to pay it out by hand and confirm it.
 */
export async function createRefund(deps: AppDeps, input: RefundInput, actor: Actor): Promise<Result<Refund>> {
  const at = nowIso(deps);
  const recorded = await deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
    const attempts = await tx.listAttempts(order.id);
    const plan = planRefund(order, attempts, await tx.listRefunds(order.id), await tx.listChargebacks(order.id), input);
    if (!plan.ok) return plan;
    const surplusAmount = surplusPartOf(input.amount, await outstandingNow(tx, order, attempts));
    const refund = await insertRefund(
      deps,
      tx,
      { ...input, attemptId: plan.value.id, currency: order.currency, surplusAmount },
      actor,
      at,
    );
    return ok(refund);
  });
  if (!recorded.ok || recorded.value.status === 'manual') return recorded;
  return ok(await runRefund(deps, recorded.value));
}

/** Records a refund as requested (or manual) with its timeline line and, when manual, its task. Inside the order's lock. */
export async function insertRefund(
  deps: AppDeps,
  tx: StorageTx,
  r: Omit<RefundInput, 'paymentId'> & { attemptId: string; currency: string; surplusAmount: number; id?: string },
  actor: Actor,
  at: string,
): Promise<Refund> {
  const attempt = await tx.getAttempt(r.attemptId);
  const connector = attempt && deps.connectors.get(attempt.connector);
  const refund: Refund = {
    id: r.id ?? deps.random.id('rf'),
    orderId: r.orderId,
    attemptId: r.attemptId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    lines: r.lines ?? [],
    actor,
    status: connector?.refund ? 'requested' : 'manual',
    surplusAmount: r.surplusAmount,
    providerRef: null,
    error: null,
    createdAt: at,
    updatedAt: at,
  };
  await tx.insertRefund(refund);
  const money = `${formatDecimal(refund.amount, refund.currency)} ${refund.currency}`;
  const by = refund.status === 'manual' ? ' The acquirer has no refund call: it is to be paid out by hand.' : '';
  await recordEvents(deps, tx, refund.orderId, at, [
    {
      kind: 'refund.requested',
      actor,
      summary: `Refund of ${money} requested: ${refund.reason}.${by}`,
      attemptId: refund.attemptId,
      data: { refund_id: refund.id, amount: refund.amount, reason: refund.reason },
    },
  ]);
  if (refund.status === 'manual') {
    await openTasks(
      deps,
      tx,
      [
        {
          kind: 'refund_manual',
          orderId: refund.orderId,
          attemptId: refund.attemptId,
          reason: `Pay ${money} back to the customer by hand (refund ${refund.id}; the acquirer has no refund call), then confirm it: POST /v1/orders/${refund.orderId}/refunds/${refund.id}/confirm.`,
        },
      ],
      at,
    );
  }
  return refund;
}

/**
 * Sends one requested (or pending) refund to the provider and records the answer. Used by
 * createRefund and, with `resend` (sent before without an answer, or accepted and not finished),
 * by the janitor: the connector then makes sure it is not paid twice.
 */
export async function runRefund(deps: AppDeps, refund: Refund, opts: { resend?: boolean } = {}): Promise<Refund> {
  const attempt = await deps.storage.read.getAttempt(refund.attemptId);
  const pm = attempt && (await deps.storage.read.getPaymentMethod(attempt.paymentMethodId));
  if (!attempt || !pm) throw new Error(`refund ${refund.id} names a missing payment or method`);
  const refundedBefore = (await deps.storage.read.listRefunds(refund.orderId))
    .filter((r) => r.attemptId === attempt.id && r.id !== refund.id && r.status === 'succeeded')
    .reduce((sum, r) => sum + r.amount, 0);
  const method = loadMethod(deps, pm);
  const answer = !method.ok
    ? notSentFrom(method.error)
    : method.value.refund
      ? await method.value.refund({
          payment: paymentRefOf(attempt),
          refundId: refund.id,
          amount: refund.amount,
          refundedBefore,
          resend: opts.resend ?? refund.status === 'pending',
        })
      : notSent('refund_unsupported', 'The acquirer has no refund call.');
  const at = nowIso(deps);
  await deps.storage.transaction(async (tx) => {
    await tx.lockOrder(refund.orderId);
    const current = await tx.getRefund(refund.id);
    // Settled meanwhile (the janitor, a second server).
    if (current?.status !== 'requested' && current?.status !== 'pending') return;
    if (!answer.ok && answer.error.outcome === 'unknown') {
      // Maybe paid out: it keeps holding its amount, and the janitor sends it again under its id.
      await tx.updateRefund(refund.id, { error: answer.error.message, updatedAt: at });
      // Still unsettled when sent again: a person should know, once (the janitor keeps asking).
      if (opts.resend && !(await openRefundTask(tx, refund))) {
        const money = `${formatDecimal(refund.amount, refund.currency)} ${refund.currency}`;
        await openTasks(
          deps,
          tx,
          [
            {
              kind: 'refund_failed',
              orderId: refund.orderId,
              attemptId: refund.attemptId,
              reason: `Refund ${refund.id} of ${money} has no settled outcome at the provider (${answer.error.message}). Settle keeps its amount reserved and asks again; check it at the provider before refunding by hand.`,
            },
          ],
          at,
        );
      }
      return;
    }
    if (!answer.ok) {
      await tx.updateRefund(refund.id, { status: 'failed', error: answer.error.message, updatedAt: at });
      const money = `${formatDecimal(refund.amount, refund.currency)} ${refund.currency}`;
      await recordEvents(deps, tx, refund.orderId, at, [
        {
          kind: 'refund.failed',
          actor: 'provider',
          summary: `The refund of ${money} failed: ${answer.error.message}`,
          attemptId: refund.attemptId,
          data: { refund_id: refund.id, amount: refund.amount },
        },
      ]);
      await openTasks(
        deps,
        tx,
        [
          {
            kind: 'refund_failed',
            orderId: refund.orderId,
            attemptId: refund.attemptId,
            reason: `The acquirer refused refund ${refund.id} of ${money}: ${answer.error.message}. Refund it another way or ask the customer.`,
          },
        ],
        at,
      );
      return;
    }
    if (answer.value.status === 'pending') {
      if (current.status === 'pending') return await tx.updateRefund(refund.id, { error: null, updatedAt: at });
      await tx.updateRefund(refund.id, {
        status: 'pending',
        providerRef: answer.value.providerRef,
        error: null,
        updatedAt: at,
      });
      const money = `${formatDecimal(refund.amount, refund.currency)} ${refund.currency}`;
      await recordEvents(deps, tx, refund.orderId, at, [
        {
          kind: 'refund.pending',
          actor: 'provider',
          summary: `The acquirer accepted the refund of ${money}${answer.value.providerRef ? ` (${answer.value.providerRef})` : ''} and has not finished it yet; Settle checks it again.`,
          attemptId: refund.attemptId,
          data: { refund_id: refund.id, amount: refund.amount },
        },
      ]);
      return;
    }
    await refundSucceeded(deps, tx, refund, answer.value.providerRef, 'provider', at);
  });
  return (await deps.storage.read.getRefund(refund.id)) ?? refund;
}

/** Whether a person already has an open task about this refund. */
async function openRefundTask(tx: StorageTx, refund: Refund): Promise<boolean> {
  const open = await tx.listTasks({ orderId: refund.orderId, kind: 'refund_failed', status: 'open' });
  return open.some((t) => t.reason.includes(refund.id));
}

/** Confirms that a manual refund was paid out by hand: it counts as refunded from now on. */
export async function confirmManualRefund(
  deps: AppDeps,
  input: { orderId: string; refundId: string; note: string },
  actor: Actor,
): Promise<Result<Refund>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const order = await tx.lockOrder(input.orderId);
    const refund = order && (await tx.getRefund(input.refundId));
    if (!order || !refund || refund.orderId !== order.id)
      return fail('refund_not_found', `Order ${input.orderId} has no refund ${input.refundId}.`);
    if (refund.status !== 'manual')
      return fail(
        'refund_not_manual',
        `Refund ${refund.id} is ${refund.status}; only one to be paid out by hand is confirmed.`,
      );
    await refundSucceeded(deps, tx, refund, null, actor, at, input.note);
    const tasks = await tx.listTasks({ orderId: order.id, kind: 'refund_manual', status: 'open' });
    await resolveTasksInTx(
      tx,
      tasks.filter((t) => t.reason.includes(refund.id)),
      `Paid out by hand: ${input.note}`,
      actor,
      at,
    );
    await completeIfDone(deps, tx, order.id, actor, at);
    return ok((await tx.getRefund(refund.id))!);
  });
}

async function refundSucceeded(
  deps: AppDeps,
  tx: StorageTx,
  refund: Refund,
  providerRef: string | null,
  actor: Actor,
  at: string,
  note?: string,
) {
  const order = (await tx.lockOrder(refund.orderId))!;
  await tx.updateRefund(refund.id, { status: 'succeeded', providerRef, error: null, updatedAt: at });
  const paymentStatus = await paymentStatusNow(tx, order.id);
  if (paymentStatus !== order.paymentStatus) await tx.updateOrder(order.id, { paymentStatus, updatedAt: at });
  const money = `${formatDecimal(refund.amount, refund.currency)} ${refund.currency}`;
  const how = providerRef ? ` by the acquirer (${providerRef})` : note ? ` by hand: ${note}` : '';
  const events: NewOrderEvent[] = [
    {
      kind: 'refund.succeeded',
      actor,
      summary: `Refund of ${money} paid${how}. ${
        paymentStatus === order.paymentStatus
          ? `Payment status stays ${PAYMENT_STATUS_LABELS[paymentStatus]}`
          : `Payment status: ${PAYMENT_STATUS_LABELS[order.paymentStatus]} → ${PAYMENT_STATUS_LABELS[paymentStatus]}`
      }.`,
      attemptId: refund.attemptId,
      data: { refund_id: refund.id, amount: refund.amount, payment_status: paymentStatus },
    },
  ];
  await recordEvents(deps, tx, order.id, at, events);
  if (refund.surplusAmount > 0) {
    // It gave back money paid twice: the double payment may be settled by it, by whichever route.
    const resolution =
      refund.actor === 'system'
        ? `Refunded automatically: the surplus payment went back as refund ${refund.id} of ${money}${how}.`
        : `Refunded by ${refund.actor}: the surplus went back with refund ${refund.id} of ${money}${how}.`;
    await settleDoublePayments(deps, tx, order, resolution, at);
  }
}
