import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { AppDeps } from '../app/deps.js';
import { runJanitor, type JanitorSettings } from '../app/janitor.js';
import { runDailyReconciliation } from './daily-reconciliation.js';

/**
 * Runs the janitor on a schedule. A sweep never overlaps itself in this process (croner's
 * protect), and across servers the sweep's advisory lock lets only one run at a time.
 */
export function startScheduler(
  deps: AppDeps,
  janitor: JanitorSettings & { schedule: string },
  reconcileSchedule: string | null,
  logger: Logger,
): { stop(): void } {
  const job = new Cron(
    janitor.schedule,
    { protect: true, catch: (err) => logger.error({ err }, 'janitor sweep failed') },
    async () => {
      const report = await runJanitor(deps, janitor);
      if (report && Object.values(report).some((n) => n > 0)) logger.info({ janitor: report }, 'janitor sweep');
    },
  );
  // The daily reconciliation, in UTC, of every payment method whose connector fetches its report.
  const daily = reconcileSchedule
    ? new Cron(
        reconcileSchedule,
        { protect: true, timezone: 'UTC', catch: (err) => logger.error({ err }, 'daily reconciliation failed') },
        async () => {
          const outcome = await runDailyReconciliation(deps);
          if (outcome && outcome.length > 0) logger.info({ reconciliation: outcome }, 'daily reconciliation');
        },
      )
    : undefined;
  return {
    stop: () => {
      job.stop();
      daily?.stop();
    },
  };
}
