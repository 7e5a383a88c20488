import type { Clock } from '../ports/clock.js';
import type { HttpClient } from '../ports/http-client.js';
import type { ConnectorRegistry } from '../ports/connectors.js';
import type { Random } from '../ports/random.js';
import type { SecretBox, TokenHasher } from '../ports/secret-box.js';
import type { Storage } from '../ports/storage.js';
import type { Mailer } from '../ports/mailer.js';
import type { WebhookSender } from '../ports/webhook-sender.js';
import type { FiscalService } from '../ports/fiscal.js';
import type { RetryPolicy } from '../domain/outbox.js';
import type { CsvReportReader } from '../ports/report-reader.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { Metrics } from '../ports/metrics.js';
import type { RequestContext } from '../ports/request-context.js';

/** What every use case may use; the composition root (main.ts) and tests build it. */
export interface AppDeps {
  storage: Storage;
  connectors: ConnectorRegistry;
  http: HttpClient;
  clock: Clock;
  random: Random;
  secretBox: SecretBox;
  hash: TokenHasher;
  /** Where Settle is reached from outside, without a trailing slash: callback and return URLs. */
  publicUrl: string;
  /** Null when no SMTP server is configured: then no e-mail is queued. */
  mailer: Mailer | null;
  webhooks: WebhookSender;
  /** Null when receipts are not required: then none are queued and the fiscal track stays not_required. */
  fiscal: FiscalService | null;
  outbox: { retry: RetryPolicy; leaseMs: number };
  /** Reads CSV reports for reconciliation (csv-parse, streaming). */
  reports: CsvReportReader;
  /** Hashes the admin users' passwords (memory-hard). */
  passwords: PasswordHasher;
  /** Counters and histograms for /metrics (noMetrics where nobody scrapes). */
  metrics: Metrics;
  /** The HTTP request being served, read to stamp outbox messages with its id (see forRequest). */
  requestContext: RequestContext;
}

/**
 * The dependencies of one HTTP request: the same services, with `requestId` as the request being
 * served. The shells make one per request (web/request-id.ts) and run the use cases with it, so an
 * outbox message names the request that caused it without each use case taking an id.
 */
export function forRequest(deps: AppDeps, requestId: string): AppDeps {
  return { ...deps, requestContext: { requestId: () => requestId } };
}

export const nowIso = (deps: Pick<AppDeps, 'clock'>): string => deps.clock.now().toISOString();
