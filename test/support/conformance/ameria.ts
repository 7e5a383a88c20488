import assert from 'node:assert/strict';
import { startAmeriaSandbox, type AmeriaSwitches } from '../../../src/connectors/ameria/sandbox.js';
import { pressOnPage } from './browser-steps.js';
import type { ConformanceDriver, ConformanceSandbox, ConformanceSwitches } from './driver.js';

const CLIENT_ID = 'a1b2c3d4-0000-4000-8000-conformance0';
const USERNAME = 'conformance-user';
const PASSWORD = 'conformance-Pa55-9z';
const ORDER_ID_FROM = 700000;
const ORDER_ID_TO = 799999;

/**
 * Ameriabank vPOS 3.1: no callback at all. The customer's browser comes back to BackURL (Settle's
 * return page of the attempt), which runs the status check; the janitor checks the rest.
 */
export const AMERIA_DRIVER: ConformanceDriver = {
  connector: 'ameria',
  currency: 'AMD',
  otherCurrency: 'USD',
  abilities: { checkStatus: true, cancel: false, refund: true },
  confirmation: 'return',
  assignsId: true,
  references: 'numbered',
  verifiedBy: 'status_check',
  declineTold: true,
  nextStep: 'redirect',
  signsAmount: false,
  precheck: false,
  secrets: [PASSWORD],
  start: startSandbox,
};

async function startSandbox(): Promise<ConformanceSandbox> {
  const running = await startAmeriaSandbox({
    merchants: [
      {
        clientId: CLIENT_ID,
        username: USERNAME,
        password: PASSWORD,
        orderIdFrom: ORDER_ID_FROM,
        orderIdTo: ORDER_ID_TO,
      },
    ],
  });
  const { sandbox } = running;
  let bound: { paymentMethodId: string; settleUrl: string } | undefined;

  return {
    settings: () => ({
      client_id: CLIENT_ID,
      username: USERNAME,
      password: PASSWORD,
      api_base_url: running.url,
      order_id_from: ORDER_ID_FROM,
      order_id_to: ORDER_ID_TO,
      language: 'en',
    }),
    // BackURL is sent with each payment (the attempt's own return page): nothing to configure.
    bind(input) {
      bound = input;
    },
    async open(p) {
      const page = await fetch(p.next.url);
      await page.text();
    },
    // The page's buttons send the browser to BackURL, which is Settle's return page of the attempt.
    pay: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'pay') }),
    decline: async (p) => ({ returnUrl: await pressOnPage(p.next.url, 'decline') }),
    setSwitches(p, switches) {
      sandbox.setSwitches(p === '*' ? '*' : p.providerRef, toSandbox(switches));
    },
    // The bank signs nothing and calls nothing: the nearest forgery is its return parameters,
    // claiming success, sent to the callback address.
    async forge(p) {
      assert.ok(bound, 'bind() first');
      const q = new URLSearchParams({
        orderID: p.providerRef,
        resposneCode: '00',
        paymentID: (p.providerPaymentId ?? '').toLowerCase(),
        opaque: 'forged',
      });
      const res = await fetch(`${bound.settleUrl}/callbacks/${bound.paymentMethodId}?${q.toString()}`);
      await res.arrayBuffer();
      return res.status;
    },
    state(p) {
      const sp = p.providerPaymentId ? sandbox.getPayment(p.providerPaymentId) : undefined;
      if (!sp) return undefined;
      const status =
        sp.orderStatus === 2 || sp.orderStatus === 4
          ? 'paid'
          : sp.orderStatus === 6
            ? 'declined'
            : sp.orderStatus === 3
              ? 'canceled'
              : 'open';
      return { status, refunded: sp.refunded };
    },
    // Nothing is ever in flight: the bank sends no callbacks.
    idle: () => Promise.resolve(),
    close: () => running.close(),
  };
}

/**
 * The suite's switches in this sandbox's terms. The delivery ones (duplicate, drop, staleAfter,
 * delayMs) have nothing to act on: there is no callback to duplicate, drop or delay, and a
 * customer who never comes back is the suite simply not opening the return address.
 */
function toSandbox(sw: ConformanceSwitches): AmeriaSwitches {
  return {
    ...(sw.timeoutMs !== undefined && { timeoutMs: sw.timeoutMs }),
    ...(sw.apiHttpStatus !== undefined && { apiHttpStatus: sw.apiHttpStatus }),
    ...(sw.reportAmount !== undefined && { reportAmount: sw.reportAmount }),
    ...(sw.reportCurrency !== undefined && { reportCurrency: sw.reportCurrency }),
  };
}
