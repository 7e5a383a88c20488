import { isAttemptOpen } from '../domain/attempt-status.js';
import type { PaymentAttempt } from '../domain/order.js';
import { applyProviderEventInTx } from './apply-provider-event.js';
import { finishCancelIfDone, runCancelOperation } from './cancel-order.js';
import { checkPayment } from './check-payment.js';
import { runRefund } from './refunds.js';
import { runSupersedeOperation, settleSupersedeInTx } from './supersede-attempts.js';
import { nowIso, type AppDeps } from './deps.js';
import { recordEvents } from './record-events.js';

export interface JanitorSettings {
  /** Open attempts older than this are checked at the acquirer (a callback may have been dropped). */
  checkAfterMs: number;
  /** Open attempts older than this, that the acquirer does not report paid, become expired. */
  lifetimeMs: number;
  /** Cancel intents with no result for this long are settled (checked, then sent again). */
  settleAfterMs: number;
  /** How many of each to take in one sweep. */
  batch: number;
  /** API idempotency keys (and the answers they replay) are kept this long, then dropped. */
  idempotencyRetentionMs: number;
}

export const DEFAULT_JANITOR: JanitorSettings = {
  checkAfterMs: 10 * 60_000,
  lifetimeMs: 60 * 60_000,
  settleAfterMs: 2 * 60_000,
  batch: 200,
  idempotencyRetentionMs: 7 * 24 * 60 * 60_000,
};

/** Keys dropped per sweep at most: one short statement, and a week of keys is cleared within hours. */
const IDEMPOTENCY_PRUNE_BATCH = 5000;

export interface JanitorReport {
  checked: number;
  expired: number;
  settled: number;
  /** Checks and cancels that got no usable answer (unreachable, or an answer that could not be read): tried again next sweep. */
  unreachable: number;
  /** Refunds that had no answer from the provider, sent again under the same id. */
  refundsResent: number;
  /** Idempotency keys dropped past their retention. */
  idempotencyKeysPruned: number;
}

/**
 * One sweep: checks open attempts whose callback is late, expires those past their lifetime that
 * the acquirer does not report paid, and settles cancel intents whose answer never came back.
 * Runs in one process at a time (advisory lock on PostgreSQL); returns undefined when another
 * process holds the sweep.
 */
export async function runJanitor(
  deps: AppDeps,
  s: JanitorSettings = DEFAULT_JANITOR,
): Promise<JanitorReport | undefined> {
  return deps.storage.runExclusive('janitor', async () => {
    const report: JanitorReport = {
      checked: 0,
      expired: 0,
      settled: 0,
      unreachable: 0,
      refundsResent: 0,
      idempotencyKeysPruned: 0,
    };
    const now = deps.clock.now().getTime();
    const late = await deps.storage.read.listOpenAttempts({
      createdBefore: new Date(now - s.checkAfterMs).toISOString(),
      limit: s.batch,
    });
    for (const attempt of late) {
      const checked = await checkPayment(deps, { paymentId: attempt.id }, 'system');
      await deps.storage.transaction((tx) => tx.markAttemptChecked(attempt.id, nowIso(deps)));
      if (checked.ok) report.checked += 1;
      else if (checked.error.code !== 'check_not_supported') {
        // No answer, an answer that cannot be read (an HTTP 502, a maintenance page), or a
        // payment method that cannot be used: nobody said it is unpaid, so it is not expired on
        // a guess. Only a connector without any status check leaves its lifetime as the judge.
        report.unreachable += 1;
        continue;
      }
      const current = checked.ok ? checked.value.attempt : attempt;
      if (isAttemptOpen(current.status) && Date.parse(current.createdAt) < now - s.lifetimeMs) {
        await expire(deps, current, checked.ok ? checked.value.providerStatus : null);
        report.expired += 1;
      }
    }
    const stuck = await deps.storage.read.listOperations({
      status: 'requested',
      updatedBefore: new Date(now - s.settleAfterMs).toISOString(),
      limit: s.batch,
    });
    for (const op of stuck) {
      const checked = await checkPayment(deps, { paymentId: op.attemptId }, 'system');
      if (!checked.ok && checked.error.code !== 'check_not_supported') {
        report.unreachable += 1;
        continue;
      }
      const attempt = checked.ok ? checked.value.attempt : await deps.storage.read.getAttempt(op.attemptId);
      if (attempt && isAttemptOpen(attempt.status)) {
        // The acquirer still has it open: the cancel never arrived; send it again.
        const run = op.kind === 'supersede' ? runSupersedeOperation : runCancelOperation;
        const r = await run(deps, { ...op, tries: op.tries + 1 });
        if (r.ok || r.error.outcome !== 'unknown') report.settled += 1;
        else report.unreachable += 1;
        continue;
      }
      const at = nowIso(deps);
      await deps.storage.transaction(async (tx) => {
        await tx.lockOrder(op.orderId);
        // An older attempt canceled for a new one: what it is now goes on the timeline; the order stays.
        if (op.kind === 'supersede' && attempt) {
          await settleSupersedeInTx(deps, tx, op, attempt, at, { actor: 'system' });
        } else if (attempt?.status === 'succeeded') {
          await tx.updateOperation(op.id, {
            status: 'failed',
            error: 'paid before it could be canceled',
            updatedAt: at,
          });
          await recordEvents(deps, tx, op.orderId, at, [
            {
              kind: 'order.cancel_failed',
              actor: 'system',
              summary: `The cancel of ${attempt.providerRef} came too late: it was paid. The order was not canceled.`,
              attemptId: attempt.id,
            },
          ]);
        } else {
          await tx.updateOperation(op.id, { status: 'succeeded', error: null, updatedAt: at });
          await finishCancelIfDone(deps, tx, op, at);
        }
      });
      report.settled += 1;
    }
    // A refund with no answer is sent again (under its own id, or after the connector checked it
    // was not made), and one the provider has not finished is asked again: never paid twice.
    for (const status of ['requested', 'pending'] as const) {
      const unsettled = await deps.storage.read.listRefundsByStatus({
        status,
        updatedBefore: new Date(now - s.settleAfterMs).toISOString(),
        limit: s.batch,
      });
      for (const refund of unsettled) {
        const after = await runRefund(deps, refund, { resend: true });
        if (after.status === status) report.unreachable += 1;
        else report.refundsResent += 1;
      }
    }
    // Sign-in attempts only matter inside the throttling window, and dead sessions not at all;
    // a day's margin keeps both tables small without touching anything still in use.
    await deps.storage.transaction((tx) => tx.pruneSignIns(new Date(now - 24 * 60 * 60_000).toISOString()));
    // A store retries a request within minutes or hours; past the retention the same key is a new
    // request. Without this the table, with every answer in it, would only grow.
    report.idempotencyKeysPruned = await deps.storage.transaction((tx) =>
      tx.pruneIdempotencyKeys(new Date(now - s.idempotencyRetentionMs).toISOString(), IDEMPOTENCY_PRUNE_BATCH),
    );
    await deps.storage.optimize();
    return report;
  });
}

async function expire(deps: AppDeps, attempt: PaymentAttempt, providerStatus: string | null) {
  const at = nowIso(deps);
  await deps.storage.transaction((tx) =>
    applyProviderEventInTx(
      deps,
      tx,
      {
        attempt,
        event: {
          providerRef: attempt.providerRef,
          status: 'expired',
          providerStatus: providerStatus ?? 'no status check',
        },
        verifiedBy: 'status_check',
        actor: 'system',
      },
      at,
    ),
  );
}
