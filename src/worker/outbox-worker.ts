import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { claimOutbox, deliverOutboxMessage } from '../app/deliver-outbox.js';
import type { AppDeps } from '../app/deps.js';

export interface OutboxWorkerOptions {
  pollMs: number;
  /** Messages claimed and delivered at once. */
  batch: number;
  logger: Logger;
}

export interface OutboxWorker {
  /** Stops claiming, waits for deliveries in flight. */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox: claims a batch, delivers it concurrently, records each result, and
 * polls again when nothing is due. Several workers (processes or servers) share the queue.
 */
export function startOutboxWorker(deps: AppDeps, opts: OutboxWorkerOptions): OutboxWorker {
  // A unique holder per worker: a claim names who took it, for the logs and the outbox view.
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let running = true;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (running) {
      let claimed = 0;
      try {
        const batch = await claimOutbox(deps, holder, opts.batch);
        claimed = batch.length;
        await Promise.all(
          batch.map((m) =>
            deliverOutboxMessage(deps, m).then(
              (outcome) =>
                opts.logger.info(
                  {
                    message: m.id,
                    topic: m.topic,
                    event: m.eventType,
                    attempts: m.attempts,
                    outcome,
                    reqId: m.requestId,
                  },
                  'outbox delivery',
                ),
              (err: unknown) =>
                opts.logger.error(
                  { err, message: m.id, reqId: m.requestId },
                  'outbox delivery failed; it is retried once its claim expires',
                ),
            ),
          ),
        );
      } catch (err) {
        opts.logger.error({ err }, 'outbox claim failed');
      }
      if (claimed === 0 && running) {
        // A referenced timer: `settle worker` has nothing else keeping it alive while it waits.
        await new Promise<void>((done) => {
          wake = done;
          timer = setTimeout(done, opts.pollMs);
        });
      }
    }
  })();
  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}

/** Delivers everything due now, one batch after another (for `settle worker --once` and tests). */
export async function drainOutbox(deps: AppDeps, batch = 20): Promise<number> {
  const holder = `drain:${process.pid}:${randomBytes(4).toString('hex')}`;
  let total = 0;
  for (;;) {
    const claimed = await claimOutbox(deps, holder, batch);
    if (claimed.length === 0) return total;
    await Promise.all(claimed.map((m) => deliverOutboxMessage(deps, m)));
    total += claimed.length;
  }
}
