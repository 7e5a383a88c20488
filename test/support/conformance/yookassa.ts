import { request } from 'node:http';
import { startYooKassaSandbox } from '../../../src/connectors/yookassa/sandbox.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, SandboxPayment } from './driver.js';

const SHOP = '506751';
const SECRET = 'test_conformance-yookassa-secret-7d6c5b';

/** A POST from another loopback address than the allow-listed one: what a forger outside YooKassa's ranges sends. */
function postFrom(localAddress: string, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * YooKassa through its sandbox: POST /payments with HTTP Basic and an Idempotence-Key, the
 * customer confirms on confirmation_url, notifications are unsigned and taken only from the
 * allow-listed address (127.0.0.1 here) as triggers, and what Settle applies is its GET of the
 * payment. No cancel of an unpaid payment (YooKassa cancels only holds); refunds under the
 * refund's id as the key.
 */
export const YOOKASSA_DRIVER: ConformanceDriver = {
  connector: 'yookassa',
  currency: 'RUB',
  otherCurrency: 'USD',
  abilities: { checkStatus: true, cancel: false, refund: true },
  confirmation: 'callback',
  assignsId: true,
  references: 'order',
  verifiedBy: 'status_check',
  declineTold: true,
  nextStep: 'redirect',
  signsAmount: false,
  precheck: false,
  secrets: [SECRET],
  async start(): Promise<ConformanceSandbox> {
    const running = await startYooKassaSandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
    const { sandbox } = running;
    let callbackUrl = '';
    const id = (p: SandboxPayment) => {
      if (!p.providerPaymentId) throw new Error('conformance: a YooKassa payment without its id');
      return p.providerPaymentId;
    };
    return {
      settings: () => ({
        shop_id: SHOP,
        secret_key: SECRET,
        api_base_url: `${running.url}/v3`,
        notification_ips: ['127.0.0.1'],
      }),
      bind({ paymentMethodId, settleUrl }) {
        callbackUrl = `${settleUrl}/callbacks/${paymentMethodId}`;
        sandbox.addShop({ shopId: SHOP, secretKey: SECRET, notificationUrl: callbackUrl });
      },
      async open(p) {
        await (await fetch(p.next.url)).text();
      },
      pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
      decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
      setSwitches(p, sw) {
        sandbox.setSwitches(p === '*' ? '*' : p.providerRef, sw);
      },
      // YooKassa signs nothing: a forgery is a notification from outside the list.
      forge: (p) => postFrom('127.0.0.2', callbackUrl, sandbox.notificationOf(id(p))),
      state(p) {
        const s = sandbox.paymentOf(SHOP, p.providerRef);
        if (!s) return undefined;
        const status =
          s.status === 'succeeded'
            ? 'paid'
            : s.status === 'canceled'
              ? s.cancellationReason === 'canceled_by_merchant'
                ? 'canceled'
                : 'declined'
              : 'open';
        return { status, refunded: s.refunded };
      },
      idle: () => sandbox.idle(),
      close: () => running.close(),
    };
  },
};
