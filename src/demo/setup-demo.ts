import type { FastifyPluginAsync } from 'fastify';
import { createApiKey, listApiKeys, revokeApiKey } from '../app/api-keys.js';
import type { AppDeps } from '../app/deps.js';
import { createPaymentMethod, loadMethod } from '../app/payment-methods.js';
import { changeUser, createUser } from '../app/users.js';
import { DEMO_SANDBOXES, type DemoSandbox } from './demo-sandboxes.js';

const DEMO_ADMIN = 'admin@demo.settle.test';

/** One sandbox payment method of the demo, with its sandbox served under `prefix`. */
export interface DemoMethod {
  paymentMethodId: string;
  connector: string;
  name: string;
  /** The currency the demo shop charges in with this method: AMD where it takes AMD, else its first (T-Bank: RUB). */
  currency: string;
  prefix: string;
  plugin: FastifyPluginAsync;
  close(): void;
}

export interface Demo {
  methods: DemoMethod[];
  /** The demo's store API key, the same at every start; null when someone revoked it. */
  storeKey: string | null;
  /** The demo's admin user and its password (new at each start; demo only). */
  adminEmail: string;
  adminPassword: string;
  close(): void;
}

/** Where a connector's demo sandbox is served on this server. */
export const sandboxPrefix = (connector: string) => `/sandbox/${connector}`;

/**
 * Demo mode: one sandbox payment method per connector (made once, on first run), each pointing at
 * its provider's sandbox mounted on this same server, and a store API key to try the API with.
 */
export async function setupDemo(deps: AppDeps): Promise<Demo> {
  const methods: DemoMethod[] = [];
  for (const spec of DEMO_SANDBOXES) methods.push(await demoMethod(deps, spec));
  const storeKey = await demoStoreKey(deps);
  // An admin for the admin pages, with a new password each start (printed once, like the key).
  const adminPassword = deps.random.token(18);
  const made = await createUser(deps, { email: DEMO_ADMIN, role: 'admin', password: adminPassword });
  if (!made.ok) {
    const changed = await changeUser(deps, {
      email: DEMO_ADMIN,
      role: 'admin',
      password: adminPassword,
      disabled: false,
    });
    if (!changed.ok) throw new Error(`demo admin: ${changed.error.message}`);
  }
  return {
    methods,
    storeKey,
    adminEmail: DEMO_ADMIN,
    adminPassword,
    close: () => methods.forEach((m) => m.close()),
  };
}

async function demoMethod(deps: AppDeps, spec: DemoSandbox): Promise<DemoMethod> {
  const prefix = sandboxPrefix(spec.connector);
  const base = `${deps.publicUrl}${prefix}`;
  const listed = await deps.storage.read.listPaymentMethods();
  let pm = listed.find((m) => m.name === spec.name && m.connector === spec.connector);
  if (!pm) {
    const created = await createPaymentMethod(deps, {
      name: spec.name,
      connector: spec.connector,
      settings: spec.settings({ base, token: () => deps.random.token(24) }),
      currencies: spec.currencies,
      auto_approve: true,
    });
    if (!created.ok) throw new Error(`demo payment method ${spec.connector}: ${created.error.message}`);
    pm = await deps.storage.read.getPaymentMethod(created.value.id);
  }
  if (!pm) throw new Error('demo payment method vanished');
  const loaded = loadMethod(deps, pm);
  if (!loaded.ok) throw new Error(`demo payment method ${spec.connector}: ${loaded.error.message}`);
  const started = spec.start(loaded.value.settings, {
    base,
    publicUrl: deps.publicUrl,
    paymentMethodId: pm.id,
    callbackUrl: `${deps.publicUrl}/callbacks/${pm.id}`,
  });
  const currency = spec.currencies.includes('AMD') ? 'AMD' : spec.currencies[0]!;
  return { paymentMethodId: pm.id, connector: spec.connector, name: spec.name, currency, prefix, ...started };
}

const DEMO_KEY_NAME = 'demo';

/**
 * The demo's store key: derived from the master key, so every start prints the same one and a
 * shop configured with it keeps working. Demo keys that earlier versions made anew at each start
 * are revoked. A revoked demo key stays revoked: the demo then prints none.
 */
async function demoStoreKey(deps: AppDeps): Promise<string | null> {
  const key = `stl_${deps.secretBox.mac('demo-store-key', 'v1')}`;
  const hash = deps.hash(key);
  const found = await deps.storage.read.findApiKeyByHash(hash);
  for (const old of await listApiKeys(deps)) {
    if (old.name === DEMO_KEY_NAME && old.id !== found?.id && old.revokedAt === null) await revokeApiKey(deps, old.id);
  }
  if (found) return found.revokedAt === null ? key : null;
  return (await createApiKey(deps, { name: DEMO_KEY_NAME, scopes: ['store'], key })).key;
}
