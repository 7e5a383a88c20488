import client from 'prom-client';
import type { Metrics, ProviderCallResult } from '../ports/metrics.js';
import type { StorageReads } from '../ports/storage.js';

/** The Prometheus side of Metrics: the counters the use cases feed, and /metrics' text. */
export interface PromMetrics extends Metrics {
  /** The exposition text (process metrics first, then Settle's) and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

// Node's process metrics (CPU, memory, event loop lag, GC) are per process, so they live in one
// registry per process, made on the first scrape; Settle's own live in one registry per
// composition (tests build several in one process).
let processRegistry: client.Registry | undefined;
function processMetrics(): client.Registry {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Counters are fed by the use cases as things happen. Gauges of what is in the database (the
 * outbox, open tasks, whether it answers) are read when scraped, from cheap indexed queries:
 * nothing is kept in memory that several servers would each count differently.
 */
export function createPromMetrics(opts: {
  read: Pick<StorageReads, 'outboxSummary' | 'countOpenTasks'>;
  ping: () => Promise<boolean>;
  now?: () => Date;
}): PromMetrics {
  const registry = new client.Registry();
  const now = opts.now ?? (() => new Date());
  const callbacks = new client.Counter({
    name: 'settle_callbacks_total',
    help: 'Provider callbacks recorded, by connector and outcome (applied, duplicate, stale, rejected)',
    labelNames: ['connector', 'outcome'] as const,
    registers: [registry],
  });
  const verification = new client.Counter({
    name: 'settle_callback_verification_failures_total',
    help: 'Provider callbacks that failed verification, by connector and code (callback_signature_invalid, callback_malformed)',
    labelNames: ['connector', 'code'] as const,
    registers: [registry],
  });
  const statuses = new client.Counter({
    name: 'settle_status_changes_total',
    help: 'Status moves written to order timelines, by track (payment, order, delivery, refund, chargeback, review, receipt) and new status',
    labelNames: ['track', 'to'] as const,
    registers: [registry],
  });
  const providerCalls = new client.Histogram({
    name: 'settle_provider_call_duration_seconds',
    help: 'HTTP exchanges with payment providers, by connector and result (ok, http_error, timeout, unreachable)',
    labelNames: ['connector', 'result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });

  // Read at scrape time. The registry collects every family at once, so the two outbox families
  // share one query in flight. A failed read leaves a family empty and settle_storage_up says why.
  let summary: ReturnType<typeof opts.read.outboxSummary> | undefined;
  const outbox = () =>
    (summary ??= opts.read.outboxSummary().finally(() => {
      summary = undefined;
    }));
  new client.Gauge({
    name: 'settle_storage_up',
    help: 'Whether the database answered the scrape (1) or not (0)',
    registers: [registry],
    async collect() {
      this.set((await opts.ping()) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'settle_outbox_messages',
    help: 'Outbox messages waiting to be delivered (pending) or given up (failed), by topic',
    labelNames: ['topic', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await outbox().catch(() => [])) this.set({ topic: r.topic, status: r.status }, r.count);
    },
  });
  new client.Gauge({
    name: 'settle_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox message, by topic (absent when none is pending)',
    labelNames: ['topic'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const t = now().getTime();
      for (const r of await outbox().catch(() => [])) {
        if (r.status === 'pending' && r.oldestQueuedAt)
          this.set({ topic: r.topic }, Math.max(0, (t - Date.parse(r.oldestQueuedAt)) / 1000));
      }
    },
  });
  new client.Gauge({
    name: 'settle_open_tasks',
    help: 'Open tasks (exceptions for a person), by kind and owner (none: unassigned)',
    labelNames: ['kind', 'owner'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await opts.read.countOpenTasks().catch(() => []))
        this.set({ kind: r.kind, owner: r.owner ?? 'none' }, r.count);
    },
  });

  // Counting must never break a request: prom-client throws on a bad label set, which would be a
  // bug here, but a bug in counting is not worth a failed payment.
  const safe = (f: () => void) => {
    try {
      f();
    } catch {
      // ignored on purpose
    }
  };
  return {
    callbackReceived: (connector, outcome) => safe(() => callbacks.inc({ connector, outcome })),
    callbackVerificationFailed: (connector, code) => safe(() => verification.inc({ connector, code })),
    statusChanged: (track, to) => safe(() => statuses.inc({ track, to })),
    providerCall: (connector: string, result: ProviderCallResult, seconds: number) =>
      safe(() => providerCalls.observe({ connector, result }, seconds)),
    async render() {
      const body = (await processMetrics().metrics()) + (await registry.metrics());
      return { contentType: registry.contentType, body };
    },
  };
}
