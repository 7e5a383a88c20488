import { startIdramSandbox, type SandboxSwitches } from '../../../src/connectors/idram/sandbox.js';
import { wireAmount } from '../../../src/connectors/idram/wire.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, ConformanceSwitches, SandboxPayment } from './driver.js';

const REC = '100000114';
const KEY = 'conformance-idram-secret-8c7b6a5d';

/** The form's fields, as the customer's browser posts them to Idram. */
function formOf(p: SandboxPayment): Record<string, string> {
  if (p.next.type !== 'form_post') throw new Error(`idram: the next step is a ${p.next.type}, not a form post`);
  return p.next.fields;
}

/**
 * Idram through its sandbox: a form post, a pre-check Settle answers from its data, a confirmation
 * signed over the amount, SUCCESS_URL / FAIL_URL fixed at Idram (Settle's /return/m/{method}),
 * no status, cancel or refund call, and nothing told on a decline.
 */
export const IDRAM_DRIVER: ConformanceDriver = {
  connector: 'idram',
  currency: 'AMD',
  abilities: { checkStatus: false, cancel: false, refund: false },
  confirmation: 'callback',
  assignsId: false,
  references: 'order',
  verifiedBy: 'signature',
  declineTold: false,
  nextStep: 'form_post',
  signsAmount: true,
  precheck: true,
  secrets: [KEY],
  async start(): Promise<ConformanceSandbox> {
    const running = await startIdramSandbox({ retryAttempts: 1 });
    const { sandbox } = running;
    const openPage = async (p: SandboxPayment) => {
      const page = await fetch(p.next.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(formOf(p)).toString(),
      });
      await page.text();
    };
    return {
      settings: () => ({
        rec_account: REC,
        secret_key: KEY,
        payment_url: `${running.url}/Payment/GetPayment`,
        language: 'EN',
      }),
      bind({ paymentMethodId, settleUrl }) {
        const back = `${settleUrl}/return/m/${paymentMethodId}`;
        sandbox.addMerchant({
          recAccount: REC,
          secretKey: KEY,
          resultUrl: `${settleUrl}/callbacks/${paymentMethodId}`,
          successUrl: back,
          failUrl: back,
        });
      },
      open: openPage,
      pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay', { method: 'POST', form: formOf(p) }) }),
      decline: async (p) => ({
        returnUrl: await pressOnPage(p.next.url, 'decline', { method: 'POST', form: formOf(p) }),
      }),
      setSwitches(p, sw) {
        sandbox.setSwitches(p === '*' ? '*' : p.providerRef, switchesFor(sw));
      },
      async forge(p) {
        if (!sandbox.getBill(REC, p.providerRef)) await openPage(p);
        return (await sandbox.sendConfirmation(REC, p.providerRef, { checksum: '0'.repeat(32) })) ?? 0;
      },
      state(p) {
        const bill = sandbox.getBill(REC, p.providerRef);
        if (!bill) return undefined;
        const status = bill.status === 'paid' ? 'paid' : bill.status === 'open' ? 'open' : 'declined';
        return { status, refunded: 0 };
      },
      idle: () => sandbox.idle(),
      close: () => running.close(),
    };
  },
};

/**
 * The suite's switches in the sandbox's terms. Idram has no API (timeoutMs, apiHttpStatus have
 * nothing to act on) and no currency on the wire (reportCurrency cannot be said); another amount
 * goes into the pre-check and the signed confirmation both.
 */
function switchesFor(sw: ConformanceSwitches): SandboxSwitches {
  const { duplicate, drop, staleAfter, delayMs, reportAmount } = sw;
  return {
    ...(duplicate !== undefined && { duplicate }),
    ...(drop !== undefined && { drop }),
    ...(staleAfter !== undefined && { staleAfter }),
    ...(delayMs !== undefined && { delayMs }),
    ...(reportAmount !== undefined && { reportAmount: wireAmount(reportAmount) }),
  };
}
