import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { AppDeps } from '../app/deps.js';
import { runJanitor, type JanitorSettings } from '../app/janitor.js';

/**
 * Runs the janitor on a schedule. A sweep never overlaps itself in this process (croner's
 * protect), and across servers the sweep's advisory lock lets only one run at a time.
 */
export function startScheduler(deps: AppDeps, janitor: JanitorSettings & { schedule: string }, logger: Logger): { stop(): void } {
  const job = new Cron(janitor.schedule, { protect: true, catch: (err) => logger.error({ err }, 'janitor sweep failed') }, async () => {
    const report = await runJanitor(deps, janitor);
    if (report && Object.values(report).some((n) => n > 0)) logger.info({ janitor: report }, 'janitor sweep');
  });
  return { stop: () => job.stop() };
}
