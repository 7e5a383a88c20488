import { decideProviderEvent, type ProviderEvent, type ProviderEventDecision } from '../domain/provider-event.js';
import type { VerifiedBy } from '../domain/order.js';
import type { Actor } from '../domain/timeline.js';
import type { CallbackRecord, StorageTx } from '../ports/storage.js';
import type { AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';

export interface ApplyInput {
  attemptId: string;
  event: ProviderEvent;
  verifiedBy: VerifiedBy;
  actor: Actor;
  /** The callback that carried the event, recorded with its outcome in the same transaction. */
  callback?: Omit<CallbackRecord, 'outcome' | 'reason' | 'attemptId' | 'orderId'>;
}

/**
 * Applies one verified provider event inside the caller's transaction: locks the order, decides
 * (pure), and writes the attempt, the order, the timeline, the tasks and the callback record.
 * Run concurrently for the same order, the lock makes these serial, so a duplicate finds the
 * first one's result and changes nothing.
 */
export async function applyProviderEventInTx(deps: AppDeps, tx: StorageTx, input: ApplyInput, at: string): Promise<ProviderEventDecision> {
  const attempt = await tx.getAttempt(input.attemptId);
  if (!attempt) throw new Error(`attempt ${input.attemptId} vanished`);
  const order = await tx.lockOrder(attempt.orderId);
  if (!order) throw new Error(`order ${attempt.orderId} vanished`);
  // Read the attempts after the lock: what was read before it may be stale.
  const attempts = await tx.listAttempts(order.id);
  const decision = decideProviderEvent({
    order,
    attempts,
    attemptId: attempt.id,
    event: input.event,
    verifiedBy: input.verifiedBy,
    actor: input.actor,
  });
  if (decision.attempt) {
    await tx.updateAttempt(attempt.id, { ...decision.attempt, updatedAt: at });
  }
  if (decision.order) await tx.updateOrder(order.id, { ...decision.order, updatedAt: at });
  await tx.appendEvents(order.id, at, decision.events);
  await openTasks(deps, tx, decision.tasks, at);
  if (input.callback) {
    await tx.insertCallback({
      ...input.callback,
      outcome: decision.outcome,
      reason: decision.reason,
      attemptId: attempt.id,
      orderId: order.id,
    });
  }
  return decision;
}
