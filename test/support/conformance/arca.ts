import { startArcaSandbox } from '../../../src/connectors/arca/sandbox.js';
import { sandboxKeys } from '../../../src/connectors/arca/sandbox-keys.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, SandboxPayment } from './driver.js';

const USER = 'conformance-api';
const PASSWORD = 'conformance-password-8c7b6a5d';
const HMAC_KEY = 'conformance-hmac-key-1f2e3d4c';

/**
 * ArCa (BPC RBS REST) through its sandbox: register.do answers the order id and the payment page,
 * callbacks are GET triggers — signed with the merchant's HMAC key, with its RSA key (SHA-512,
 * the method configured with the gateway's certificate), or not at all — and what Settle applies
 * is getOrderStatusExtended.do's answer. Cancel is reverse.do, refunds are refund.do.
 */
export function arcaDriver(signing: 'hmac' | 'rsa' | 'none'): ConformanceDriver {
  const keys = signing === 'rsa' ? sandboxKeys({ commonName: 'ArCa conformance' }) : undefined;
  const signingSettings =
    signing === 'hmac'
      ? { callback_hmac_key: HMAC_KEY }
      : signing === 'rsa'
        ? { callback_public_key: keys!.certificatePem }
        : {};
  return {
    connector: 'arca',
    unsignedTriggers: signing === 'none',
    currency: 'AMD',
    otherCurrency: 'USD',
    abilities: { checkStatus: true, cancel: true, refund: true },
    confirmation: 'callback',
    assignsId: true,
    references: 'order',
    verifiedBy: 'status_check',
    declineTold: true,
    nextStep: 'redirect',
    signsAmount: false,
    precheck: false,
    secrets: signing === 'hmac' ? [PASSWORD, HMAC_KEY] : [PASSWORD],
    async start(): Promise<ConformanceSandbox> {
      const running = await startArcaSandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
      const { sandbox } = running;
      const mdOrder = (p: SandboxPayment) => {
        if (!p.providerPaymentId) throw new Error('conformance: an ArCa payment without its order id');
        return p.providerPaymentId;
      };
      return {
        settings: () => ({
          username: USER,
          password: PASSWORD,
          api_base_url: `${running.url}/payment/rest`,
          ...signingSettings,
        }),
        bind({ paymentMethodId, settleUrl }) {
          sandbox.addMerchant({
            username: USER,
            password: PASSWORD,
            callbackUrl: `${settleUrl}/callbacks/${paymentMethodId}`,
            ...(signing === 'hmac' && { hmacKey: HMAC_KEY }),
            ...(keys && { rsa: true, keys }),
          });
        },
        async open(p) {
          const page = await fetch(p.next.url);
          await page.text();
        },
        pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
        decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
        setSwitches(p, sw) {
          // The conformance switches are the sandbox's own: reportAmount in minor units, reportCurrency alphabetic.
          sandbox.setSwitches(p === '*' ? '*' : p.providerRef, sw);
        },
        forge: async (p) =>
          (await sandbox.sendCallback(mdOrder(p), 'deposited', '1', { checksum: '0'.repeat(64) })) ?? 0,
        state(p) {
          const o = p.providerPaymentId ? sandbox.getOrder(p.providerPaymentId) : undefined;
          if (!o) return undefined;
          const status =
            o.orderStatus === 2 || o.orderStatus === 4
              ? 'paid'
              : o.orderStatus === 3
                ? 'canceled'
                : o.orderStatus === 6
                  ? 'declined'
                  : 'open';
          return { status, refunded: o.refunded };
        },
        idle: () => sandbox.idle(),
        close: () => running.close(),
      };
    },
  };
}

export const ARCA_DRIVER = arcaDriver('hmac');
