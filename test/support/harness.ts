import { randomBytes } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { createApiKey } from '../../src/app/api-keys.js';
import type { AppDeps } from '../../src/app/deps.js';
import { startAcquiringV1Sandbox } from '../../src/connectors/acquiring-v1/sandbox.js';
import { createHttpClient } from '../../src/adapters/http-client.js';
import { buildServer } from '../../src/server.js';
import { compose } from '../../src/main.js';
import { freshStore, type TestStore } from './store.js';
import type { Config } from '../../src/config.js';
import type { Connector } from '../../src/ports/connector.js';
import { noteSecret, noteSecretsIn, testLogger, TEST_LOG_FILE } from './test-logs.js';

export const TEST_PRIVATE_KEY = 'test-private-key-9f8e7d6c5b4a';
export const TEST_SHOP_ID = 'test-shop';
/** Opens the harness's /metrics (as METRICS_TOKEN does in production). */
export const METRICS_TOKEN = 'test-metrics-token-0a1b2c3d4e5f';

/** The acquiring-v1 settings of a payment method that talks to the sandbox at `url`. */
export function sandboxSettings(url: string) {
  return {
    shop_id: TEST_SHOP_ID,
    private_key: TEST_PRIVATE_KEY,
    payment_page_url: `${url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
    api_base_url: url,
  };
}

type Sandbox = Awaited<ReturnType<typeof startAcquiringV1Sandbox>>;

export interface HarnessOptions {
  httpTimeoutMs?: number;
  /** Mail goes to this SMTP server (none queued without it). */
  smtpUrl?: string;
  /** Receipts go to this fiscal service (none required without it). */
  fiscalUrl?: string;
  /** Connectors only the tests know (a provider with refunds and dispute notices). */
  extraConnectors?: readonly Connector<any>[];
  /** Outbox timing; the harness default retries fast (200 ms base) and gives up after 5 tries. */
  outbox?: Partial<Config['outbox']>;
}

export interface Harness {
  url: string;
  /** The file this process's servers log to (the real redacting logger, level debug). */
  logFile: string;
  /** The master key, for a worker process over the same database. */
  masterKey: Buffer;
  app: FastifyInstance;
  /** Every route of the server (the API and the pages beside it), as Fastify was told of it. */
  routes: readonly RouteOptions[];
  deps: AppDeps;
  store: TestStore;
  adminKey: string;
  storeKey: string;
  sandbox: Sandbox;
  paymentMethodId: string;
  /** fetch against Settle with a key (store by default) and JSON. */
  api(
    method: string,
    path: string,
    body?: unknown,
    opts?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Real servers on 127.0.0.1: Settle on port 0 over a fresh database, and the acquirer sandbox on
 * port 0 with a shop whose callbacks go to this Settle, configured through the admin API.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const store = await freshStore();
  const masterKey = randomBytes(32);
  const outbox = {
    pollMs: 50,
    batch: 20,
    retryBaseMs: 200,
    retryMaxMs: 2000,
    maxAttempts: 5,
    leaseMs: 2000,
    ...opts.outbox,
  };
  const fiscal = opts.fiscalUrl
    ? { mode: 'url' as const, url: opts.fiscalUrl, token: null }
    : { mode: 'off' as const, url: null, token: null };
  const composed = compose(
    {
      databaseUrl: store.url,
      masterKey,
      publicUrl: 'http://127.0.0.1:0',
      smtpUrl: opts.smtpUrl ?? null,
      fiscal,
      outbox,
    },
    {
      storage: store.storage,
      http: createHttpClient({ defaultTimeoutMs: opts.httpTimeoutMs ?? 5000 }),
      extraConnectors: opts.extraConnectors,
    },
  );
  const { deps } = composed;
  // The real redacting logger, into this process's log file: the suite's log scan (scripts/test.mjs)
  // fails the run if any line carries a secret noted here.
  noteSecret(TEST_PRIVATE_KEY, masterKey, METRICS_TOKEN);
  const routes: RouteOptions[] = [];
  const app = await buildServer(deps, {
    logger: testLogger(),
    metrics: { render: composed.metrics.render, token: METRICS_TOKEN },
    onRoute: (r) => routes.push(r),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${addr.port}`;
  deps.publicUrl = url;

  const adminKey = (await createApiKey(deps, { name: 'test-admin', scopes: ['admin'] })).key;
  const storeKey = (await createApiKey(deps, { name: 'test-store', scopes: ['store'] })).key;
  noteSecret(adminKey, storeKey);
  const sandbox = await startAcquiringV1Sandbox({ host: '127.0.0.1', port: 0, shops: [] });

  const api: Harness['api'] = async (method, path, body, opts = {}) => {
    const key = opts.key === undefined ? storeKey : opts.key;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(key && { authorization: `Bearer ${key}` }),
        ...opts.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    noteSecretsIn(body);
    noteSecretsIn(parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const pm = await api(
    'POST',
    '/v1/payment-methods',
    {
      name: 'Test acquirer',
      connector: 'acquiring-v1',
      settings: sandboxSettings(sandbox.url),
    },
    { key: adminKey },
  );
  if (pm.status !== 201) throw new Error(`payment method: ${pm.status} ${JSON.stringify(pm.body)}`);
  const paymentMethodId = pm.body.id as string;
  sandbox.sandbox.addShop({
    shopId: TEST_SHOP_ID,
    privateKey: TEST_PRIVATE_KEY,
    callbackUrl: `${url}/callbacks/${paymentMethodId}`,
    returnUrl: `${url}/return/m/${paymentMethodId}/[OrderID]`,
  });

  return {
    url,
    logFile: TEST_LOG_FILE,
    masterKey,
    app,
    routes,
    deps,
    store,
    adminKey,
    storeKey,
    sandbox,
    paymentMethodId,
    api,
    async close() {
      await sandbox.close();
      await app.close();
      await composed.deps.mailer?.close();
      await store.drop();
    },
  };
}

let counter = 0;
/** A fresh order reference valid for the acquirer (letters, digits, hyphen). */
export function newReference(prefix = 'T'): string {
  counter += 1;
  return `${prefix}-${randomBytes(4).toString('hex')}-${counter}`;
}
