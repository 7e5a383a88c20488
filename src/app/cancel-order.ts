import { paymentRefOf } from './payment-ref.js';
import { isAttemptEndedWithoutMoney, isAttemptOpen } from '../domain/attempt-status.js';
import type { Order, PaymentAttempt } from '../domain/order.js';
import { ORDER_STATUS_LABELS } from '../domain/order-status.js';
import { fail, ok, type Failure, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import type { ProviderOperation } from '../domain/provider-operation.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';
import { revokeLinksInTx } from './payment-links.js';
import { openTasks } from './open-tasks.js';
import { notSentFrom, refused, type CallFailure } from '../ports/provider-failure.js';
import { loadMethod } from './payment-methods.js';

/**
 * Cancels an unpaid order and each of its open attempts at the acquirer. The intent (one
 * operation per attempt) is committed first, the acquirer is called outside the transaction,
 * then each result is committed. The order becomes canceled only when every open attempt was
 * canceled at the acquirer: a refusal (error#NNNN) or no answer leaves the order as it was,
 * with an open task, never half-canceled. The janitor settles operations that got no answer.
 */
export async function cancelOrder(
  deps: AppDeps,
  input: { orderId: string; reason: string },
  actor: Actor,
): Promise<Result<Order>> {
  const at = nowIso(deps);
  const intent = await deps.storage.transaction(
    async (tx): Promise<Result<{ order: Order; ops: ProviderOperation[] }>> => {
      const order = await tx.lockOrder(input.orderId);
      if (!order) return fail('order_not_found', `There is no order ${input.orderId}.`);
      if (order.status === 'canceled') return ok({ order, ops: [] });
      if (order.paymentStatus === 'paid') {
        return fail('order_paid', `Order ${order.reference} is paid: it needs a refund, not a cancel.`);
      }
      if (order.status !== 'pending_payment' && order.status !== 'payment_failed') {
        return fail(
          'order_not_cancelable',
          `Order ${order.reference} is ${ORDER_STATUS_LABELS[order.status]} and cannot be canceled this way.`,
        );
      }
      if ((await tx.listOperations({ orderId: order.id, kind: 'cancel', status: 'requested', limit: 1 })).length > 0) {
        return fail(
          'cancel_in_progress',
          `A cancel of order ${order.reference} is already waiting for the acquirer's answer.`,
        );
      }
      const open = (await tx.listAttempts(order.id)).filter((a) => isAttemptOpen(a.status));
      if (open.length === 0) {
        await markCanceled(deps, tx, order, actor, input.reason, at);
        return ok({ order: { ...order, status: 'canceled' }, ops: [] });
      }
      const ops: ProviderOperation[] = open.map((a) => ({
        id: deps.random.id('op'),
        kind: 'cancel',
        orderId: order.id,
        attemptId: a.id,
        status: 'requested',
        actor,
        reason: input.reason,
        error: null,
        tries: 1,
        createdAt: at,
        updatedAt: at,
      }));
      for (const op of ops) await tx.insertOperation(op);
      await recordEvents(deps, tx, order.id, at, [
        {
          kind: 'order.cancel_requested',
          actor,
          summary: `Cancel requested: ${input.reason}. Asking the acquirer to cancel ${open.map((a) => a.providerRef).join(', ')}.`,
        },
      ]);
      return ok({ order, ops });
    },
  );
  if (!intent.ok) return intent;
  const { order, ops } = intent.value;
  if (ops.length === 0) return ok(order);

  let firstFailure: Failure | undefined;
  for (const op of ops) {
    const r = await runCancelOperation(deps, op);
    if (!r.ok) firstFailure ??= r.error;
  }
  if (firstFailure) {
    return fail(
      firstFailure.code,
      `Order ${order.reference} was not canceled: ${firstFailure.message} A task was opened.`,
      firstFailure.details,
    );
  }
  const done = await deps.storage.read.getOrder(order.id);
  return ok(done ?? order);
}

/**
 * Calls the acquirer for one cancel operation and records the result. Used by cancelOrder and by
 * the janitor for operations whose answer never came back.
 */
export async function runCancelOperation(deps: AppDeps, op: ProviderOperation): Promise<Result<void, CallFailure>> {
  const attempt = await deps.storage.read.getAttempt(op.attemptId);
  const pm = attempt && (await deps.storage.read.getPaymentMethod(attempt.paymentMethodId));
  if (!attempt || !pm) throw new Error(`operation ${op.id} names a missing attempt or method`);
  const method = loadMethod(deps, pm);
  if (!method.ok) return notSentFrom(method.error);
  const connector = method.value;

  // A held payment is released (void) where the provider has that call; anything else is canceled.
  const call = attempt.status === 'authorized' && connector.void ? connector.void : connector.cancel;
  const answer = call ? await call(paymentRefOf(attempt)) : undefined;
  const at = nowIso(deps);

  if (answer && !answer.ok) {
    switch (answer.error.outcome) {
      case 'unknown':
        await keepCancelOpen(deps, op, attempt, answer.error, at);
        return answer;
      case 'refused':
      case 'not_sent':
        await recordCancelRefused(deps, op, attempt, answer.error, at);
        return answer;
    }
  }
  return deps.storage.transaction(async (tx): Promise<Result<void, CallFailure>> => {
    if (answer?.ok) {
      await applyProviderEventInTx(
        deps,
        tx,
        { attempt, event: answer.value, verifiedBy: 'status_check', actor: 'provider' },
        at,
      );
      // Only an answer that leaves the payment ended without money confirms the cancel. "opened",
      // or a status the acquirer never documented, moves nothing; "executed" means it was paid.
      const after = (await tx.getAttempt(attempt.id)) ?? attempt;
      if (!isAttemptEndedWithoutMoney(after.status)) {
        const said = answer.value.providerStatus;
        const why =
          after.status === 'succeeded'
            ? `it was paid ("${said}")`
            : `the acquirer answered "${said}", which leaves the payment ${after.status}`;
        await cancelFailedInTx(deps, tx, op, attempt, at, {
          error: `Not canceled: ${why}.`,
          summary: `The cancel of ${attempt.providerRef} was not confirmed: ${why}. The order was not canceled.`,
          reason: `The cancel of ${attempt.providerRef} was not confirmed: ${why}. The order was not canceled: check the payment at the acquirer, then cancel or refund by hand.`,
        });
        return refused(`The acquirer did not confirm the cancel of order ${attempt.providerRef}: ${why}.`, {
          providerStatus: said,
        });
      }
    }
    await tx.updateOperation(op.id, { status: 'succeeded', error: null, updatedAt: at });
    await finishCancelIfDone(deps, tx, op, at);
    return ok(undefined);
  });
}

/** No answer it could read: the acquirer may or may not have canceled. The intent stays open for the janitor. */
async function keepCancelOpen(
  deps: AppDeps,
  op: ProviderOperation,
  attempt: PaymentAttempt,
  failure: CallFailure,
  at: string,
) {
  await deps.storage.transaction(async (tx) => {
    await tx.updateOperation(op.id, { error: failure.message, updatedAt: at });
    if (op.tries === 1) {
      await openTasks(
        deps,
        tx,
        [
          {
            kind: 'cancel_failed',
            orderId: op.orderId,
            attemptId: attempt.id,
            reason: `No usable answer from the acquirer to the cancel of ${attempt.providerRef} (${failure.message}); the order is not canceled yet. Settle will check the payment and try again.`,
          },
        ],
        at,
      );
    }
  });
}

/** The acquirer refused (or the cancel could not be sent): the order is not canceled, a person looks. */
async function recordCancelRefused(
  deps: AppDeps,
  op: ProviderOperation,
  attempt: PaymentAttempt,
  failure: CallFailure,
  at: string,
) {
  const code = typeof failure.details?.errorCode === 'string' ? `error#${failure.details.errorCode}` : failure.code;
  await deps.storage.transaction((tx) =>
    cancelFailedInTx(deps, tx, op, attempt, at, {
      error: failure.message,
      summary: `The acquirer refused to cancel ${attempt.providerRef} (${code}); the order was not canceled.`,
      reason: `The acquirer refused to cancel ${attempt.providerRef} (${code}). The order was not canceled: check whether the customer paid, then cancel or refund by hand.`,
    }),
  );
}

/** A cancel operation that failed: the timeline says so and a person gets a task. */
async function cancelFailedInTx(
  deps: AppDeps,
  tx: StorageTx,
  op: ProviderOperation,
  attempt: PaymentAttempt,
  at: string,
  said: { error: string; summary: string; reason: string },
) {
  await tx.updateOperation(op.id, { status: 'failed', error: said.error, updatedAt: at });
  await recordEvents(deps, tx, op.orderId, at, [
    { kind: 'order.cancel_failed', actor: 'provider', summary: said.summary, attemptId: attempt.id },
  ]);
  await openTasks(
    deps,
    tx,
    [{ kind: 'cancel_failed', orderId: op.orderId, attemptId: attempt.id, reason: said.reason }],
    at,
  );
}

/** Cancels the order once every cancel operation of it succeeded and nothing was paid. */
export async function finishCancelIfDone(deps: AppDeps, tx: StorageTx, op: ProviderOperation, at: string) {
  if (op.kind !== 'cancel') return;
  const order = await tx.lockOrder(op.orderId);
  if (!order || order.status === 'canceled') return;
  // Only the order's own cancels: an older attempt canceled for a new one says nothing of the order.
  const ops = await tx.listOperations({ orderId: order.id, kind: 'cancel', limit: 1000 });
  if (ops.some((o) => o.status === 'requested')) return;
  // An attempt counts as closed once its cancel succeeded, even where the connector has no cancel
  // call and so the attempt itself could not be moved.
  const confirmed = new Set(ops.filter((o) => o.status === 'succeeded').map((o) => o.attemptId));
  const attempts = await tx.listAttempts(order.id);
  if (attempts.some((a) => a.status === 'succeeded' || (isAttemptOpen(a.status) && !confirmed.has(a.id)))) return;
  if (order.status !== 'pending_payment' && order.status !== 'payment_failed') return;
  await markCanceled(deps, tx, order, op.actor as Actor, op.reason ?? 'canceled', at);
}

async function markCanceled(deps: AppDeps, tx: StorageTx, order: Order, actor: Actor, reason: string, at: string) {
  await tx.updateOrder(order.id, { status: 'canceled', updatedAt: at });
  await recordEvents(deps, tx, order.id, at, [
    {
      kind: 'order.status_changed',
      actor,
      summary: `Order status: ${ORDER_STATUS_LABELS[order.status]} → canceled. Reason: ${reason}.`,
      data: { from: order.status, to: 'canceled', reason },
    },
    ...(await revokeLinksInTx(tx, order, 'the order was canceled', at)),
  ]);
}
