import { startRobokassaSandbox } from '../../../src/connectors/robokassa/sandbox.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox } from './driver.js';

const LOGIN = 'conformance-shop';
const PASSWORD1 = 'conformance-robokassa-pw1-5e6f';
const PASSWORD2 = 'conformance-robokassa-pw2-7a8b';

/**
 * Robokassa through its sandbox: a payment URL signed with Password #1 (no call to start), InvId
 * numbered from the method's range, ResultURL signed with Password #2 over the sum as sent and
 * answered OK{InvId}, SuccessURL / FailURL fixed at Robokassa (Settle's /return/m/{method}), and
 * OpStateExt for the status. No cancel or refund call: canceled in Settle, refunds by hand.
 */
export function robokassaDriver(algorithm: 'md5' | 'sha256' | 'sha512' = 'md5'): ConformanceDriver {
  return {
    connector: 'robokassa',
    currency: 'RUB',
    abilities: { checkStatus: true, cancel: false, refund: false },
    confirmation: 'callback',
    assignsId: false,
    references: 'numbered',
    verifiedBy: 'signature',
    declineTold: true,
    nextStep: 'redirect',
    signsAmount: true,
    precheck: false,
    secrets: [PASSWORD1, PASSWORD2],
    async start(): Promise<ConformanceSandbox> {
      const running = await startRobokassaSandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
      const { sandbox } = running;
      return {
        settings: () => ({
          merchant_login: LOGIN,
          password1: PASSWORD1,
          password2: PASSWORD2,
          hash_algorithm: algorithm,
          payment_url: `${running.url}/Merchant/Index.aspx`,
          api_base_url: `${running.url}/Merchant/WebService/Service.asmx`,
          inv_id_from: 70000,
          inv_id_to: 79999,
        }),
        bind({ paymentMethodId, settleUrl }) {
          const back = `${settleUrl}/return/m/${paymentMethodId}`;
          sandbox.addShop({
            login: LOGIN,
            password1: PASSWORD1,
            password2: PASSWORD2,
            algorithm,
            resultUrl: `${settleUrl}/callbacks/${paymentMethodId}`,
            successUrl: back,
            failUrl: back,
          });
        },
        async open(p) {
          await (await fetch(p.next.url)).text();
        },
        pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
        decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
        setSwitches(p, sw) {
          const { reportCurrency: _none, ...rest } = sw;
          sandbox.setSwitches(p === '*' ? '*' : p.providerRef, rest);
        },
        async forge(p) {
          if (!sandbox.invoiceOf(LOGIN, p.providerRef)) await (await fetch(p.next.url)).text();
          return (await sandbox.sendResult(LOGIN, p.providerRef, { signature: '0'.repeat(32) })) ?? 0;
        },
        state(p) {
          const i = sandbox.invoiceOf(LOGIN, p.providerRef);
          if (!i) return undefined;
          return { status: i.state === 100 ? 'paid' : i.state === 10 ? 'declined' : 'open', refunded: 0 };
        },
        idle: () => sandbox.idle(),
        close: () => running.close(),
      };
    },
  };
}

export const ROBOKASSA_DRIVER = robokassaDriver();
