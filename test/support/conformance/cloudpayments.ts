import { startCloudPaymentsSandbox } from '../../../src/connectors/cloudpayments/sandbox.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox } from './driver.js';

const PUBLIC_ID = 'pk_conformance0123456789';
const SECRET = 'conformance-cloudpayments-secret-2b3c4d';

/**
 * CloudPayments through its sandbox: /orders/create answers the invoice link; on it the customer
 * pays or declines, and the sandbox posts the check (a question Settle answers from its data),
 * then pay or fail, each to its own address, signed with Content-HMAC and X-Content-HMAC. The
 * status check is /payments/find; refunds /payments/refund under X-Request-ID; holds only are
 * released (/payments/void), so an unpaid invoice is canceled in Settle and its check refused.
 */
export function cloudPaymentsDriver(json = false): ConformanceDriver {
  return {
    connector: 'cloudpayments',
    currency: 'RUB',
    otherCurrency: 'USD',
    abilities: { checkStatus: true, cancel: false, refund: true },
    confirmation: 'callback',
    assignsId: false,
    references: 'order',
    verifiedBy: 'signature',
    declineTold: true,
    nextStep: 'redirect',
    signsAmount: true,
    precheck: true,
    secrets: [SECRET],
    async start(): Promise<ConformanceSandbox> {
      const running = await startCloudPaymentsSandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
      const { sandbox } = running;
      return {
        settings: () => ({ public_id: PUBLIC_ID, api_secret: SECRET, api_base_url: running.url }),
        bind({ paymentMethodId, settleUrl }) {
          sandbox.addSite({
            publicId: PUBLIC_ID,
            apiSecret: SECRET,
            notifyRoot: `${settleUrl}/callbacks/${paymentMethodId}`,
            json,
          });
        },
        async open(p) {
          await (await fetch(p.next.url)).text();
        },
        pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
        decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
        setSwitches(p, sw) {
          sandbox.setSwitches(p === '*' ? '*' : p.providerRef, sw);
        },
        async forge(p) {
          if (!sandbox.invoiceOf(PUBLIC_ID, p.providerRef)) await (await fetch(p.next.url)).text();
          return (await sandbox.sendNotice(PUBLIC_ID, p.providerRef, 'pay', { hmac: 'A'.repeat(44) })) ?? 0;
        },
        state(p) {
          const i = sandbox.invoiceOf(PUBLIC_ID, p.providerRef);
          if (!i) return undefined;
          return { status: i.status, refunded: i.refunded };
        },
        idle: () => sandbox.idle(),
        close: () => running.close(),
      };
    },
  };
}

export const CLOUDPAYMENTS_DRIVER = cloudPaymentsDriver();
