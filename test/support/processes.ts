// Settle as real child processes (`settle serve`), several over one fresh database, with the
// acquirer sandbox calling them back: for faults a single in-process server cannot show
// (a SIGKILL mid-callback, servers racing on one database).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../../src/app/api-keys.js';
import { createPaymentMethod } from '../../src/app/payment-methods.js';
import {
  startAcquiringV1Sandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../../src/connectors/acquiring-v1/sandbox.js';
import { compose } from '../../src/main.js';
import { mapLimit, sleep } from './async.js';
import { newReference, sandboxSettings, TEST_PRIVATE_KEY, TEST_SHOP_ID } from './harness.js';
import { freshStore, type TestStore } from './store.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_MAX = 64 * 1024;

// If the test process dies without its after() hooks, its servers must not live on.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A free port on 127.0.0.1: listen on 0, note the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

export interface SettleProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** The current child's pid (a restart makes a new one). */
  readonly pid: number | undefined;
  /** SIGTERM (a graceful stop), then wait for the exit; SIGKILL if it does not come. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, no chance to finish anything. Waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (stopping it first if it runs) and waits until healthy. */
  restart(): Promise<void>;
  /** The tail of its stdout and stderr, with exits noted: for diagnostics when a test fails. */
  output(): string;
}

/**
 * Spawns `settle serve --port N` with these environment variables and waits for GET /health; or,
 * with `worker`, `settle worker` (no port) and waits for its start-up line.
 */
export async function spawnSettle(
  name: string,
  port: number,
  env: Record<string, string>,
  mode: 'serve' | 'worker' = 'serve',
): Promise<SettleProcess> {
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const note = (s: string) => {
    log = (log + s).slice(-OUTPUT_MAX);
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PUBLIC_URL: url, HOST: '127.0.0.1' };
    delete childEnv.NODE_TEST_CONTEXT; // it is a server, not a test file of this runner
    const args = mode === 'serve' ? ['serve', '--port', String(port)] : ['worker'];
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    live.add(c);
    note(`[${name}] spawned pid ${c.pid}\n`);
    c.stdout!.on('data', (d: Buffer) => note(d.toString()));
    c.stderr!.on('data', (d: Buffer) => note(d.toString()));
    exited = new Promise<void>((done) =>
      c.once('exit', (code, signal) => {
        live.delete(c);
        note(`[${name}] pid ${c.pid} exited (code ${code}, signal ${signal})\n`);
        done();
      }),
    );
    await waitHealthy(c);
  };

  const waitHealthy = async (c: ChildProcess) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null)
        throw new Error(`${name} exited before it was healthy:\n${log}`);
      if (mode === 'worker') {
        if (log.lastIndexOf('outbox worker started') > log.lastIndexOf(`spawned pid ${c.pid}`)) return;
        await sleep(50);
        continue;
      }
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      await res?.arrayBuffer().catch(() => undefined);
      if (res?.status === 200) return;
      await sleep(100);
    }
    c.kill('SIGKILL');
    throw new Error(`${name} did not answer GET /health with 200 within ${READY_TIMEOUT_MS} ms:\n${log}`);
  };

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const stop = async () => {
    if (!running()) return;
    child!.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    name,
    port,
    url,
    get pid() {
      return child?.pid;
    },
    stop,
    async kill() {
      if (!running()) return;
      child!.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await stop();
      await start();
    },
    output: () => log,
  };
}

export interface Cluster {
  store: TestStore;
  sandbox: RunningSandbox;
  servers: SettleProcess[];
  adminKey: string;
  storeKey: string;
  paymentMethodId: string;
  shopId: string;
  /** fetch against one server, with the store key by default, JSON in and out. */
  api(
    server: SettleProcess,
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: any }>;
  /** Creates orders (one attempt each, spread over the servers) and opens each payment page at the sandbox. */
  openOrders(count: number, prefix: string): Promise<OpenOrder[]>;
  /** Every server's output, for a failing test's report. */
  diagnostics(): string;
  /** Stops every server, the sandbox, and drops the database. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOrder {
  orderId: string;
  paymentId: string;
  /** The acquirer's OrderID for the first attempt: the reference as sent. */
  reference: string;
}

/**
 * N Settle processes on one fresh database, prepared in-process first (migrated by freshStore,
 * so the children find migrations current and do not race on them; API keys; an acquiring-v1
 * method pointing at a sandbox whose shop calls back all N servers).
 */
export async function startCluster(opts: {
  servers: number;
  sandbox?: SandboxOptions;
  /** The database to make the fresh one beside, instead of DATABASE_URL (a test's own PostgreSQL cluster). */
  databaseUrl?: string;
  /** More environment for the servers (e.g. shorter outbox or janitor intervals). */
  env?: Record<string, string>;
}): Promise<Cluster> {
  const store = await freshStore({ databaseUrl: opts.databaseUrl });
  const dataDir = mkdtempSync(join(tmpdir(), 'settle-proc-'));
  const masterKey = randomBytes(32).toString('hex'); // shared: every server must decrypt the method's secrets
  const servers: SettleProcess[] = [];
  let sandbox: RunningSandbox | undefined;
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.allSettled(servers.map((s) => s.stop()));
    await sandbox?.close().catch(() => undefined);
    await store.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const ports = await Promise.all(Array.from({ length: opts.servers }, freePort));
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    sandbox = await startAcquiringV1Sandbox({ host: '127.0.0.1', port: 0, ...opts.sandbox, shops: [] });
    const { deps } = compose(
      { databaseUrl: store.url, masterKey: Buffer.from(masterKey, 'hex'), publicUrl: urls[0]! },
      { storage: store.storage },
    );
    const adminKey = (await createApiKey(deps, { name: 'test-admin', scopes: ['admin'] })).key;
    const storeKey = (await createApiKey(deps, { name: 'test-store', scopes: ['store'] })).key;
    const pm = await createPaymentMethod(deps, {
      name: 'Test acquirer',
      connector: 'acquiring-v1',
      settings: sandboxSettings(sandbox.url),
    });
    if (!pm.ok) throw new Error(`payment method: ${pm.error.message}`);
    const paymentMethodId = pm.value.id;
    sandbox.sandbox.addShop({
      shopId: TEST_SHOP_ID,
      privateKey: TEST_PRIVATE_KEY,
      callbackUrl: urls.map((u) => `${u}/callbacks/${paymentMethodId}`),
      returnUrl: `${urls[0]}/return/m/${paymentMethodId}/[OrderID]`,
    });

    const env = {
      ...opts.env,
      DATABASE_URL: store.url,
      SETTLE_MASTER_KEY: masterKey,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
    };
    const started = await Promise.allSettled(ports.map((p, i) => spawnSettle(`settle-${i + 1}`, p, env)));
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;

    const api: Cluster['api'] = async (server, method, path, body, key = storeKey) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed };
    };

    const openOrders: Cluster['openOrders'] = async (count, prefix) => {
      const { results } = await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        8,
        async (i) => {
          const server = servers[i % servers.length]!;
          const reference = newReference(prefix);
          const order = await api(server, 'POST', '/v1/orders', {
            reference,
            currency: 'AMD',
            amount: 100_000 + i * 100,
          });
          if (order.status !== 201) throw new Error(`order ${i}: ${order.status} ${JSON.stringify(order.body)}`);
          const payment = await api(server, 'POST', `/v1/orders/${order.body.id}/payments`, {
            payment_method_id: paymentMethodId,
          });
          if (payment.status !== 201)
            throw new Error(`payment ${i}: ${payment.status} ${JSON.stringify(payment.body)}`);
          // The customer opens the signed payment page: the sandbox records the order as opened.
          const page = await fetch(payment.body.next_step.url);
          await page.arrayBuffer();
          if (page.status !== 200) throw new Error(`payment page ${i}: ${page.status}`);
          return { orderId: order.body.id as string, paymentId: payment.body.id as string, reference };
        },
      );
      return results;
    };

    return {
      store,
      sandbox,
      servers,
      adminKey,
      storeKey,
      paymentMethodId,
      shopId: TEST_SHOP_ID,
      api,
      openOrders,
      diagnostics: () => servers.map((s) => `---- ${s.name} (${s.url}) ----\n${s.output()}`).join('\n'),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Runs a test body; if it fails, prints every server's output first, then rethrows. */
export async function withServerOutput<T>(cluster: Cluster, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    console.error(`Settle processes' output:\n${cluster.diagnostics()}`);
    throw e;
  }
}
