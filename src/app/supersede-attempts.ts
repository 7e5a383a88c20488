import { isAttemptEndedWithoutMoney, isAttemptOpen } from '../domain/attempt-status.js';
import type { PaymentAttempt } from '../domain/order.js';
import type { ProviderOperation } from '../domain/provider-operation.js';
import { ok, type Failure, type Result } from '../domain/result.js';
import type { SurplusRefundPlan } from '../domain/surplus-refund.js';
import { SUPERSEDE_SUMMARY, supersededBy, supersedeReason } from '../domain/supersede.js';
import type { Actor, NewOrderEvent } from '../domain/timeline.js';
import { notSent, notSentFrom, refused, type CallFailure } from '../ports/provider-failure.js';
import type { StorageTx } from '../ports/storage.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { nowIso, type AppDeps } from './deps.js';
import { loadMethod } from './payment-methods.js';
import { paymentRefOf } from './payment-ref.js';
import { recordEvents } from './record-events.js';
import { sendSurplusRefund } from './steps/surplus-refund.js';

/**
 * Once a new attempt is started at the provider, each older attempt of the order still open there
 * is a way for the customer to pay twice. Each one is canceled at the provider where its connector
 * can: the intent (a `supersede` operation) is committed under the order's lock, the provider is
 * called outside the transaction, and the answer is applied by the lattice, so an attempt the
 * provider reports paid meanwhile stays paid. Where the connector cannot cancel, the timeline says
 * the older attempt stays open. The order itself does not move, and nothing here fails the new
 * attempt: no answer leaves the operation for the janitor, a refusal is recorded as failed.
 */
export async function supersedeOlderAttempts(
  deps: AppDeps,
  attempt: PaymentAttempt,
  actor: Actor,
  /**
   * The order's attempts as read under the lock that created `attempt`: every older one, as each
   * took its number under that lock. One closed then never reopens, so none open then means none
   * to cancel, with no read.
   */
  older?: readonly PaymentAttempt[],
): Promise<void> {
  // The common case, an order's first attempt, takes no transaction. Read after the new attempt
  // committed, so every older one is in it; the locked read below decides.
  const known = older ? [...older, attempt] : await deps.storage.read.listAttempts(attempt.orderId);
  if (supersededBy(known, attempt.id).length === 0) return;
  const at = nowIso(deps);
  const ops = await deps.storage.transaction((tx) => recordIntents(deps, tx, attempt, actor, at));
  for (const op of ops) {
    try {
      await runSupersedeOperation(deps, op);
    } catch {
      // The intent stays requested: the janitor checks the attempt and sends the cancel again.
    }
  }
}

async function recordIntents(
  deps: AppDeps,
  tx: StorageTx,
  attempt: PaymentAttempt,
  actor: Actor,
  at: string,
): Promise<ProviderOperation[]> {
  const order = await tx.lockOrder(attempt.orderId);
  // A canceled order's cancel covers its open attempts already.
  if (!order || order.status === 'canceled') return [];
  const waiting = await tx.listOperations({ orderId: order.id, status: 'requested', limit: 1000 });
  const older = supersededBy(await tx.listAttempts(order.id), attempt.id, new Set(waiting.map((o) => o.attemptId)));
  const ops: ProviderOperation[] = [];
  const events: NewOrderEvent[] = [];
  for (const a of older) {
    const connector = deps.connectors.get(a.connector);
    if (connector && cancelCallOf(connector, a)) {
      ops.push({
        id: deps.random.id('op'),
        kind: 'supersede',
        orderId: order.id,
        attemptId: a.id,
        status: 'requested',
        actor,
        reason: supersedeReason(attempt.providerRef),
        error: null,
        tries: 1,
        createdAt: at,
        updatedAt: at,
      });
    } else {
      events.push({
        kind: 'payment.left_open',
        actor: 'system',
        summary: SUPERSEDE_SUMMARY.noCancel(a.providerRef, connector?.title ?? a.connector, attempt.providerRef),
        attemptId: a.id,
        data: { new_attempt_id: attempt.id },
      });
    }
  }
  for (const op of ops) await tx.insertOperation(op);
  if (ops.length > 0) {
    const refs = ops.map((op) => older.find((a) => a.id === op.attemptId)!.providerRef);
    events.unshift({
      kind: 'payment.supersede_requested',
      actor,
      summary: SUPERSEDE_SUMMARY.requested(refs, attempt.providerRef),
      attemptId: attempt.id,
    });
  }
  await recordEvents(deps, tx, order.id, at, events);
  return ops;
}

/**
 * Calls the provider for one supersede operation and records the result. Used right after the new
 * attempt started and by the janitor for operations whose answer never came back.
 */
export async function runSupersedeOperation(deps: AppDeps, op: ProviderOperation): Promise<Result<void, CallFailure>> {
  const attempt = await deps.storage.read.getAttempt(op.attemptId);
  const pm = attempt && (await deps.storage.read.getPaymentMethod(attempt.paymentMethodId));
  if (!attempt || !pm) throw new Error(`operation ${op.id} names a missing attempt or method`);
  const method = loadMethod(deps, pm);
  const call = method.ok ? cancelCallOf(method.value, attempt) : undefined;
  const answer = !method.ok
    ? notSentFrom(method.error)
    : call
      ? await call(paymentRefOf(attempt))
      : notSent('cancel_unsupported', `${method.value.title} has no cancel call`);
  const at = nowIso(deps);
  const reason = op.reason ?? 'a new attempt was started';
  let surplus: SurplusRefundPlan | undefined;

  const result = await deps.storage.transaction(async (tx): Promise<Result<void, CallFailure>> => {
    await tx.lockOrder(op.orderId);
    const waiting = await tx.listOperations({
      orderId: op.orderId,
      kind: 'supersede',
      status: 'requested',
      limit: 1000,
    });
    // Settled meanwhile (the janitor, a second server).
    if (!waiting.some((o) => o.id === op.id)) return ok(undefined);
    // Paid or closed meanwhile (a callback while the cancel was on its way): that is what it is now.
    const current = (await tx.getAttempt(attempt.id)) ?? attempt;
    if (!answer.ok && !isAttemptOpen(current.status)) return settleSupersedeInTx(deps, tx, op, current, at);
    if (!answer.ok) {
      if (answer.error.outcome === 'unknown') {
        // Maybe canceled, maybe not: the intent stays open for the janitor.
        await tx.updateOperation(op.id, { error: answer.error.message, tries: op.tries, updatedAt: at });
        if (op.tries === 1) {
          const summary = SUPERSEDE_SUMMARY.unanswered(attempt.providerRef, unDot(answer.error.message));
          await said(deps, tx, op, at, summary, 'payment.supersede_unanswered', 'system');
        }
        return answer;
      }
      await tx.updateOperation(op.id, { status: 'failed', error: answer.error.message, updatedAt: at });
      const code = (answer.error as Failure).details?.errorCode;
      const why =
        answer.error.outcome === 'refused'
          ? `the provider refused the cancel (${typeof code === 'string' ? `error#${code}` : unDot(answer.error.message)})`
          : `the cancel could not be sent (${unDot(answer.error.message)})`;
      const by = answer.error.outcome === 'refused' ? 'provider' : 'system';
      await said(
        deps,
        tx,
        op,
        at,
        SUPERSEDE_SUMMARY.leftOpen(attempt.providerRef, why, reason),
        'payment.left_open',
        by,
      );
      return answer;
    }
    const change = await applyProviderEventInTx(
      deps,
      tx,
      { attempt, paymentMethod: pm, event: answer.value, verifiedBy: 'status_check', actor: 'provider' },
      at,
    );
    surplus = change.refund;
    const after = (await tx.getAttempt(attempt.id)) ?? attempt;
    return settleSupersedeInTx(deps, tx, op, after, at, { providerStatus: answer.value.providerStatus });
  });
  await sendSurplusRefund(deps, surplus);
  return result;
}

/**
 * Records what the older attempt is now, once the provider answered the cancel (or the janitor
 * found it no longer open): closed, paid before the cancel reached it, or still open.
 */
export async function settleSupersedeInTx(
  deps: AppDeps,
  tx: StorageTx,
  op: ProviderOperation,
  attempt: PaymentAttempt,
  at: string,
  seen: { providerStatus?: string; actor?: Actor } = {},
): Promise<Result<void, CallFailure>> {
  const reason = op.reason ?? 'a new attempt was started';
  const by = seen.actor ?? 'provider';
  if (isAttemptEndedWithoutMoney(attempt.status)) {
    await tx.updateOperation(op.id, { status: 'succeeded', error: null, updatedAt: at });
    await said(
      deps,
      tx,
      op,
      at,
      SUPERSEDE_SUMMARY.canceled(attempt.providerRef, attempt.status, reason),
      'payment.superseded',
      by,
    );
    return ok(undefined);
  }
  if (attempt.status === 'succeeded') {
    await tx.updateOperation(op.id, { status: 'failed', error: 'paid before it could be canceled', updatedAt: at });
    await said(deps, tx, op, at, SUPERSEDE_SUMMARY.paid(attempt.providerRef, reason), 'payment.supersede_failed', by);
    return refused(`Attempt ${attempt.providerRef} was paid before it could be canceled.`);
  }
  const why = `the provider answered "${seen.providerStatus ?? attempt.providerStatus ?? attempt.status}" to the cancel`;
  await tx.updateOperation(op.id, { status: 'failed', error: `Not canceled: ${why}.`, updatedAt: at });
  await said(deps, tx, op, at, SUPERSEDE_SUMMARY.leftOpen(attempt.providerRef, why, reason), 'payment.left_open', by);
  return refused(`Attempt ${attempt.providerRef} was not canceled: ${why}.`);
}

/** A held payment is released (void) where the provider has that call; anything else is canceled. */
function cancelCallOf<T>(c: { cancel?: T; void?: T }, a: Pick<PaymentAttempt, 'status'>): T | undefined {
  return a.status === 'authorized' && c.void ? c.void : c.cancel;
}

/** One line on the older attempt's order timeline about its cancel. */
async function said(
  deps: AppDeps,
  tx: StorageTx,
  op: ProviderOperation,
  at: string,
  summary: string,
  kind: string,
  actor: Actor = 'provider',
) {
  await recordEvents(deps, tx, op.orderId, at, [{ kind, actor, summary, attemptId: op.attemptId }]);
}

const unDot = (message: string) => message.replace(/\.$/, '');
