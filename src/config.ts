import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string;
  /** Where the master key came from, for the start-up line (never the key itself). */
  masterKeySource: 'env' | 'file';
  masterKey: Buffer;
  logLevel: string;
  /** LOG_FORMAT: readable lines (pretty) or JSON; auto is pretty when standard output is a terminal. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** METRICS_TOKEN: a bearer token that opens /metrics only; null: only an admin API key does. */
  metricsToken: string | null;
  /** smtp(s)://user:password@host:port; null queues no e-mail. */
  smtpUrl: string | null;
  fiscal: {
    /** sandbox: the built-in fiscal sandbox, mounted in `serve` at /sandbox/fiscal; off: receipts not required. */
    mode: 'sandbox' | 'url' | 'off';
    url: string | null;
    token: string | null;
  };
  outbox: {
    /** Run the outbox worker inside `serve`. */
    pollMs: number;
    batch: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxAttempts: number;
    leaseMs: number;
  };
  /** Per-address limits of the public routes (callbacks, return pages, public order view, pay links). */
  rateLimits: {
    callbacksPerMinute: number;
    pagesPerMinute: number;
    payPerMinute: number;
  };
  /** Cron (UTC) of the daily reconciliation; null when off. */
  reconcileSchedule: string | null;
  janitor: {
    /** Cron expression for the sweep (croner syntax). */
    schedule: string;
    checkAfterMs: number;
    lifetimeMs: number;
    settleAfterMs: number;
    batch: number;
    idempotencyRetentionMs: number;
  };
}

export class ConfigError extends Error {}

/** Reads and validates the environment once. Unset values get the embedded defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { port?: number } = {}): Config {
  const port = overrides.port ?? intFrom(env.PORT, 3000, 'PORT');
  if (port < 0 || port > 65535) throw new ConfigError('PORT must be between 0 and 65535.');
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new ConfigError('PUBLIC_URL must be an http(s) URL.');
  const databaseUrl = env.DATABASE_URL?.trim() || `sqlite:${join(dataDir, 'settle.db')}`;
  const { key, source } = masterKey(env.SETTLE_MASTER_KEY, dataDir);
  const janitor = {
    schedule: env.JANITOR_SCHEDULE ?? '* * * * *',
    checkAfterMs: intFrom(env.JANITOR_CHECK_AFTER_SECONDS, 600, 'JANITOR_CHECK_AFTER_SECONDS') * 1000,
    lifetimeMs: intFrom(env.PAYMENT_LIFETIME_SECONDS, 3600, 'PAYMENT_LIFETIME_SECONDS') * 1000,
    settleAfterMs: intFrom(env.JANITOR_SETTLE_AFTER_SECONDS, 120, 'JANITOR_SETTLE_AFTER_SECONDS') * 1000,
    batch: 200,
    idempotencyRetentionMs:
      intFrom(env.IDEMPOTENCY_KEY_RETENTION_HOURS, 168, 'IDEMPOTENCY_KEY_RETENTION_HOURS') * 3_600_000,
  };
  // A store's retries of one request come within hours; a shorter retention could turn a late retry into a second order.
  if (janitor.idempotencyRetentionMs < 24 * 3_600_000)
    throw new ConfigError('IDEMPOTENCY_KEY_RETENTION_HOURS must be at least 24.');
  if (janitor.lifetimeMs < janitor.checkAfterMs)
    throw new ConfigError('PAYMENT_LIFETIME_SECONDS must not be shorter than JANITOR_CHECK_AFTER_SECONDS.');
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL.');
  const fiscalUrl = env.FISCAL_URL?.trim() || null;
  if (fiscalUrl && fiscalUrl !== 'off' && !isBaseUrl(fiscalUrl))
    throw new ConfigError('FISCAL_URL must be an http(s) URL without a query or fragment, or "off".');
  const fiscal: Config['fiscal'] =
    fiscalUrl === 'off'
      ? { mode: 'off', url: null, token: null }
      : fiscalUrl
        ? { mode: 'url', url: fiscalUrl.replace(/\/+$/, ''), token: env.FISCAL_TOKEN || null }
        : { mode: 'sandbox', url: `${publicUrl}/sandbox/fiscal`, token: null };
  const outbox = {
    pollMs: intFrom(env.OUTBOX_POLL_MS, 1000, 'OUTBOX_POLL_MS'),
    batch: 20,
    retryBaseMs: intFrom(env.OUTBOX_RETRY_BASE_MS, 10_000, 'OUTBOX_RETRY_BASE_MS'),
    retryMaxMs: intFrom(env.OUTBOX_RETRY_MAX_MS, 3_600_000, 'OUTBOX_RETRY_MAX_MS'),
    maxAttempts: intFrom(env.OUTBOX_MAX_ATTEMPTS, 12, 'OUTBOX_MAX_ATTEMPTS'),
    leaseMs: intFrom(env.OUTBOX_LEASE_MS, 60_000, 'OUTBOX_LEASE_MS'),
  };
  if (outbox.maxAttempts < 1) throw new ConfigError('OUTBOX_MAX_ATTEMPTS must be at least 1.');
  // A claim should outlive a delivery (HTTP and SMTP give up within 15 s), or a second worker may
  // send the same message meanwhile: never lost, but sent twice. The default leaves a wide margin.
  if (outbox.leaseMs < 1000) throw new ConfigError('OUTBOX_LEASE_MS must be at least 1000.');
  // Defaults as in src/http/rate-limits.ts (DEFAULT_PUBLIC_RATE_LIMITS); config does not import http.
  const rateLimits = {
    callbacksPerMinute: intFrom(env.RATE_LIMIT_CALLBACKS_PER_MINUTE, 6000, 'RATE_LIMIT_CALLBACKS_PER_MINUTE'),
    pagesPerMinute: intFrom(env.RATE_LIMIT_PAGES_PER_MINUTE, 300, 'RATE_LIMIT_PAGES_PER_MINUTE'),
    payPerMinute: intFrom(env.RATE_LIMIT_PAY_PER_MINUTE, 60, 'RATE_LIMIT_PAY_PER_MINUTE'),
  };
  for (const [name, v] of [
    ['RATE_LIMIT_CALLBACKS_PER_MINUTE', rateLimits.callbacksPerMinute],
    ['RATE_LIMIT_PAGES_PER_MINUTE', rateLimits.pagesPerMinute],
    ['RATE_LIMIT_PAY_PER_MINUTE', rateLimits.payPerMinute],
  ] as const) {
    if (v < 1) throw new ConfigError(`${name} must be at least 1.`);
  }
  const reconcileSchedule = env.RECONCILE_SCHEDULE === 'off' ? null : env.RECONCILE_SCHEDULE?.trim() || '0 6 * * *';
  const logFormat = env.LOG_FORMAT?.trim() || 'auto';
  if (logFormat !== 'auto' && logFormat !== 'json' && logFormat !== 'pretty')
    throw new ConfigError('LOG_FORMAT must be auto, json or pretty.');
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken && !/^[\x21-\x7e]{16,500}$/.test(metricsToken))
    throw new ConfigError('METRICS_TOKEN must be 16 to 500 printable characters without spaces.');
  return {
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    masterKey: key,
    masterKeySource: source,
    logLevel: env.LOG_LEVEL ?? 'info',
    logFormat,
    metricsToken,
    smtpUrl,
    fiscal,
    outbox,
    janitor,
    rateLimits,
    reconcileSchedule,
  };
}

function intFrom(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${name} must be a whole number.`);
  return Number(v);
}

/**
 * SETTLE_MASTER_KEY (64 hex characters or base64 of 32+ bytes) encrypts secrets at rest. Without
 * it, a key is made once in the data folder: fine for one server, but several servers must share
 * one key through the environment.
 */
function masterKey(v: string | undefined, dataDir: string): { key: Buffer; source: 'env' | 'file' } {
  if (v) {
    const key = /^[0-9a-f]{64,}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    if (key.length < 32) throw new ConfigError('SETTLE_MASTER_KEY must hold at least 32 bytes (64 hex characters).');
    return { key, source: 'env' };
  }
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (e) {
      // Another process made it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new ConfigError(`${file} does not hold a 32-byte hex key.`);
  return { key, source: 'file' };
}

function isBaseUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
}
