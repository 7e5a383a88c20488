import { noRequestContext } from './ports/request-context.js';
import { csvReportReader } from './adapters/report-file.js';
import { scryptPasswordHasher } from './adapters/scrypt-password-hasher.js';
import { hashToken, createSecretBox } from './adapters/aes-secret-box.js';
import { cryptoRandom } from './adapters/crypto-random.js';
import { systemClock } from './adapters/system-clock.js';
import type { AppDeps } from './app/deps.js';
import type { Config } from './config.js';
import { createHttpClient } from './adapters/http-client.js';
import { connectorRegistry, type AnyConnector } from './connectors/registry.js';
import type { Clock } from './ports/clock.js';
import type { ConnectorRegistry } from './ports/connectors.js';
import type { HttpClient } from './ports/http-client.js';
import { openStorage, type OpenedStorage } from './storage/open-storage.js';
import { createSmtpMailer } from './adapters/smtp-mailer.js';
import { createWebhookSender } from './adapters/webhook-sender.js';
import { createFiscalClient } from './adapters/fiscal-client.js';
import { Secret } from './domain/secret.js';
import { DEFAULT_RETRY } from './domain/outbox.js';
import type { Mailer } from './ports/mailer.js';
import type { FiscalService } from './ports/fiscal.js';
import type { SecretBox } from './ports/secret-box.js';
import { createPromMetrics, type PromMetrics } from './adapters/prom-metrics.js';

/** Outbox timing when the caller gives none (tests that do not deliver). */
const DEFAULT_OUTBOX = {
  retryBaseMs: DEFAULT_RETRY.baseMs,
  retryMaxMs: DEFAULT_RETRY.maxMs,
  maxAttempts: DEFAULT_RETRY.maxAttempts,
  leaseMs: 60_000,
};

/**
 * The fiscal service's API token: FISCAL_TOKEN, or for the built-in sandbox one derived from the
 * master key, so `settle serve` (which hosts it) and every `settle worker` agree without a setting.
 */
export function fiscalToken(fiscal: Config['fiscal'], secretBox: SecretBox): string | undefined {
  return fiscal.mode === 'sandbox' ? secretBox.mac('fiscal-sandbox', 'token') : (fiscal.token ?? undefined);
}

const optionalSecret = (s: string | undefined) => (s ? new Secret(s) : undefined);

export interface Composed {
  deps: AppDeps;
  storage: OpenedStorage;
  /** The same object as deps.metrics, with the /metrics text. */
  metrics: PromMetrics;
  close(): Promise<void>;
}

/** The composition root: real adapters for every port. Tests pass their own clock or storage. */
export function compose(
  config: Pick<Config, 'databaseUrl' | 'masterKey' | 'publicUrl'> &
    Partial<Pick<Config, 'smtpUrl' | 'fiscal' | 'outbox'>>,
  overrides: {
    storage?: OpenedStorage;
    clock?: Clock;
    http?: HttpClient;
    fiscal?: FiscalService | null;
    extraConnectors?: readonly AnyConnector[];
  } = {},
): Composed {
  const storage = overrides.storage ?? openStorage(config.databaseUrl);
  const registry = connectorRegistry();
  for (const c of overrides.extraConnectors ?? []) registry.set(c.id, c);
  const metrics = createPromMetrics({ read: storage.read, ping: () => storage.ping() });
  const connectors: ConnectorRegistry = { get: (id) => registry.get(id), ids: () => [...registry.keys()] };
  const http = overrides.http ?? createHttpClient();
  const mailer: Mailer | null = config.smtpUrl ? createSmtpMailer(config.smtpUrl) : null;
  const secretBox = createSecretBox(config.masterKey);
  const fiscal =
    overrides.fiscal !== undefined
      ? overrides.fiscal
      : config.fiscal?.url
        ? createFiscalClient({
            baseUrl: config.fiscal.url,
            token: optionalSecret(fiscalToken(config.fiscal, secretBox)),
            http,
          })
        : null;
  const { retryBaseMs, retryMaxMs, maxAttempts, leaseMs } = config.outbox ?? DEFAULT_OUTBOX;
  const deps: AppDeps = {
    storage,
    connectors,
    http,
    clock: overrides.clock ?? systemClock,
    random: cryptoRandom,
    secretBox,
    hash: hashToken,
    publicUrl: config.publicUrl,
    mailer,
    webhooks: createWebhookSender(http),
    fiscal,
    outbox: { retry: { baseMs: retryBaseMs, maxMs: retryMaxMs, maxAttempts }, leaseMs },
    reports: csvReportReader,
    passwords: scryptPasswordHasher(),
    metrics,
    requestContext: noRequestContext,
  };
  return {
    deps,
    storage,
    metrics,
    async close() {
      await mailer?.close();
      await storage.close();
    },
  };
}
