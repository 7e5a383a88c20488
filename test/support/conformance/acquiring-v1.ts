import { startAcquiringV1Sandbox } from '../../../src/connectors/acquiring-v1/sandbox.js';
import { wireAmount } from '../../../src/connectors/acquiring-v1/wire.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, ConformanceSwitches, SandboxPayment } from './driver.js';

const SHOP = 'conformance-shop';
const KEY = 'conformance-private-key-5d4c3b2a19';

/** The seed acquirer through its sandbox: signed webhooks, checkorder, cancelorder, no refund call. */
export const ACQUIRING_V1_DRIVER: ConformanceDriver = {
  connector: 'acquiring-v1',
  currency: 'AMD',
  otherCurrency: 'USD',
  abilities: { checkStatus: true, cancel: true, refund: false },
  confirmation: 'callback',
  assignsId: false,
  references: 'order',
  verifiedBy: 'signature',
  declineTold: true,
  nextStep: 'redirect',
  signsAmount: false,
  precheck: false,
  secrets: [KEY],
  async start(): Promise<ConformanceSandbox> {
    const running = await startAcquiringV1Sandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
    const { sandbox } = running;
    return {
      settings: () => ({
        shop_id: SHOP,
        private_key: KEY,
        payment_page_url: `${running.url}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
        api_base_url: running.url,
      }),
      bind({ paymentMethodId, settleUrl }) {
        sandbox.addShop({
          shopId: SHOP,
          privateKey: KEY,
          callbackUrl: `${settleUrl}/callbacks/${paymentMethodId}`,
          returnUrl: `${settleUrl}/return/m/${paymentMethodId}/[OrderID]`,
        });
      },
      async open(p) {
        const page = await fetch(p.next.url);
        await page.text();
      },
      pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
      decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
      setSwitches(p, sw) {
        sandbox.setSwitches(p === '*' ? '*' : p.providerRef, switchesFor(p, sw));
      },
      forge: async (p) => (await sandbox.sendCallback(SHOP, p.providerRef, 'executed', { hash: '0'.repeat(32) })) ?? 0,
      state(p) {
        const o = sandbox.getOrder(SHOP, p.providerRef);
        if (!o) return undefined;
        const status =
          o.status === 'executed'
            ? 'paid'
            : o.status === 'canceled'
              ? 'canceled'
              : o.status.startsWith('error#')
                ? 'declined'
                : 'open';
        return { status, refunded: 0 };
      },
      idle: () => sandbox.idle(),
      close: () => running.close(),
    };
  },
};

function switchesFor(p: SandboxPayment | '*', sw: ConformanceSwitches) {
  const { reportAmount, reportCurrency, ...common } = sw;
  const currency = reportCurrency ?? (p === '*' ? 'AMD' : p.currency);
  return {
    ...common,
    ...(reportAmount !== undefined && { reportAmount: wireAmount(reportAmount, currency), reportCurrency: currency }),
    ...(reportCurrency !== undefined && {
      reportAmount: wireAmount(p === '*' ? 0 : p.amount, currency),
      reportCurrency: currency,
    }),
  };
}
