import { createApiKey } from '../app/api-keys.js';
import { changeUser, createUser } from '../app/users.js';

const DEMO_ADMIN = 'admin@demo.settle.test';
import type { AppDeps } from '../app/deps.js';
import { createPaymentMethod, loadMethod } from '../app/payment-methods.js';
import { AcquiringV1Sandbox } from '../connectors/acquiring-v1/sandbox.js';

export const DEMO_METHOD_NAME = 'Demo acquirer (sandbox)';
export const SANDBOX_PREFIX = '/sandbox/acquiring-v1';

export interface Demo {
  paymentMethodId: string;
  sandbox: AcquiringV1Sandbox;
  storeKey: string;
  /** The demo's admin user and its password (new at each start; demo only). */
  adminEmail: string;
  adminPassword: string;
}

/**
 * Demo mode: a sandbox payment method (made once, on first run) pointing at the acquirer sandbox
 * mounted on this same server, and a fresh store API key to try the API with.
 */
export async function setupDemo(deps: AppDeps): Promise<Demo> {
  const base = `${deps.publicUrl}${SANDBOX_PREFIX}`;
  const existing = (await deps.storage.read.listPaymentMethods()).find(
    (pm) => pm.name === DEMO_METHOD_NAME && pm.connector === 'acquiring-v1' && pm.settings.api_base_url === base,
  );
  let pm = existing;
  if (!pm) {
    const created = await createPaymentMethod(deps, {
      name: DEMO_METHOD_NAME,
      connector: 'acquiring-v1',
      settings: {
        shop_id: 'demo-shop',
        private_key: deps.random.token(24),
        payment_page_url: `${base}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: base,
      },
      currencies: ['AMD', 'USD', 'EUR', 'RUB', 'JPY'],
      auto_approve: true,
    });
    if (!created.ok) throw new Error(`demo payment method: ${created.error.message}`);
    pm = await deps.storage.read.getPaymentMethod(created.value.id);
  }
  if (!pm) throw new Error('demo payment method vanished');
  const loaded = loadMethod(deps, pm);
  if (!loaded.ok) throw new Error(`demo payment method: ${loaded.error.message}`);
  const settings = loaded.value.settings as { shopId: string; privateKey: { reveal(): string } };
  const sandbox = new AcquiringV1Sandbox();
  sandbox.addShop({
    shopId: settings.shopId,
    privateKey: settings.privateKey.reveal(),
    callbackUrl: `${deps.publicUrl}/callbacks/${pm.id}`,
    returnUrl: `${deps.publicUrl}/return/m/${pm.id}/[OrderID]`,
  });
  const { key } = await createApiKey(deps, { name: 'demo', scopes: ['store'] });
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
  return { paymentMethodId: pm.id, sandbox, storeKey: key, adminEmail: DEMO_ADMIN, adminPassword };
}
