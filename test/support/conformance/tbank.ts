import { startTBankSandbox } from '../../../src/connectors/tbank/sandbox.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, ConformanceSwitches, SandboxPayment } from './driver.js';

const TERMINAL = 'ConformanceTerminal';
const PASSWORD = 'conformance-tbank-password-4e5f6a';

/**
 * T-Bank through its sandbox: Init answers PaymentId and PaymentURL, notifications (AUTHORIZED,
 * then CONFIRMED) are signed by Token over their fields, Amount included, and answered "OK";
 * GetState checks a payment, Cancel cancels an unpaid one and, with Amount and
 * ExternalRequestId, refunds a paid one. Roubles only: no currency is said on the wire.
 */
export const TBANK_DRIVER: ConformanceDriver = {
  connector: 'tbank',
  currency: 'RUB',
  abilities: { checkStatus: true, cancel: true, refund: true },
  confirmation: 'callback',
  assignsId: true,
  references: 'order',
  verifiedBy: 'signature',
  declineTold: true,
  nextStep: 'redirect',
  signsAmount: true,
  precheck: false,
  secrets: [PASSWORD],
  async start(): Promise<ConformanceSandbox> {
    const running = await startTBankSandbox({ retryBaseDelayMs: 50, retryAttempts: 3 });
    const { sandbox } = running;
    const paymentId = (p: SandboxPayment) => {
      if (!p.providerPaymentId) throw new Error('conformance: a T-Bank payment without its PaymentId');
      return p.providerPaymentId;
    };
    return {
      settings: () => ({
        terminal_key: TERMINAL,
        password: PASSWORD,
        api_base_url: `${running.url}/v2`,
        language: 'en',
      }),
      // T-Bank takes NotificationURL, SuccessURL and FailURL with each Init: only the terminal is set up.
      bind() {
        sandbox.addTerminal({ terminalKey: TERMINAL, password: PASSWORD });
      },
      async open(p) {
        const page = await fetch(p.next.url);
        await page.text();
      },
      pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
      decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
      setSwitches(p, sw) {
        sandbox.setSwitches(p === '*' ? '*' : p.providerRef, switchesFor(sw));
      },
      forge: async (p) => (await sandbox.sendNotification(paymentId(p), { token: '0'.repeat(64) })) ?? 0,
      state(p) {
        const s = sandbox.paymentOf(TERMINAL, p.providerRef);
        if (!s) return undefined;
        const paid = ['CONFIRMED', 'PARTIAL_REFUNDED', 'REFUNDED'].includes(s.status);
        const status = paid
          ? 'paid'
          : s.status === 'CANCELED'
            ? 'canceled'
            : s.status === 'REJECTED'
              ? 'declined'
              : 'open';
        return { status, refunded: s.refunded };
      },
      idle: () => sandbox.idle(),
      close: () => running.close(),
    };
  },
};

/** The suite's switches in the sandbox's terms: T-Bank states no currency, so reportCurrency has nothing to act on. */
function switchesFor(sw: ConformanceSwitches) {
  const { reportCurrency: _none, ...rest } = sw;
  return rest;
}
