import type { FastifyPluginAsync } from 'fastify';
import { AcquiringV1Sandbox } from '../connectors/acquiring-v1/sandbox.js';
import type { AcquiringV1Settings } from '../connectors/acquiring-v1/settings.js';
import { ArcaSandbox } from '../connectors/arca/sandbox.js';
import type { ArcaSettings } from '../connectors/arca/settings.js';
import { AmeriaSandbox } from '../connectors/ameria/sandbox.js';
import type { AmeriaSettings } from '../connectors/ameria/settings.js';
import { IdramSandbox } from '../connectors/idram/sandbox.js';
import type { IdramSettings } from '../connectors/idram/settings.js';
import { TBankSandbox } from '../connectors/tbank/sandbox.js';
import type { TBankSettings } from '../connectors/tbank/settings.js';
import { YooKassaSandbox } from '../connectors/yookassa/sandbox.js';
import { CloudPaymentsSandbox } from '../connectors/cloudpayments/sandbox.js';
import type { CloudPaymentsSettings } from '../connectors/cloudpayments/settings.js';
import { RobokassaSandbox } from '../connectors/robokassa/sandbox.js';
import type { RobokassaSettings } from '../connectors/robokassa/settings.js';

/** Where a demo sandbox is served and where it sends the customer and its callbacks. */
export interface DemoAddresses {
  /** The sandbox's own base URL (`{publicUrl}/sandbox/{connector}`). */
  base: string;
  publicUrl: string;
  paymentMethodId: string;
  /** `{publicUrl}/callbacks/{paymentMethodId}`. */
  callbackUrl: string;
}

/**
 * One connector in the demo: the settings of a sandbox payment method (made once, on first run)
 * and the sandbox for it, playing the provider on this same server. `settings` get a fresh random
 * secret; `start` gets the method's settings as its connector parsed them (secrets wrapped).
 */
export interface DemoSandbox {
  connector: string;
  /** The payment method's name, and what the demo shop calls it. */
  name: string;
  currencies: string[];
  settings(input: { base: string; token: () => string }): Record<string, unknown>;
  start(settings: unknown, at: DemoAddresses): { plugin: FastifyPluginAsync; close(): void };
}

const acquiringV1: DemoSandbox = {
  connector: 'acquiring-v1',
  name: 'Demo acquirer (sandbox)',
  currencies: ['AMD', 'USD', 'EUR', 'RUB', 'JPY'],
  settings: ({ base, token }) => ({
    shop_id: 'demo-shop',
    private_key: token(),
    payment_page_url: `${base}/p/[ShopID]/[OrderID]/[Amount]/[Hash]`,
    api_base_url: base,
  }),
  start(parsed, at) {
    const s = parsed as AcquiringV1Settings;
    const sandbox = new AcquiringV1Sandbox();
    sandbox.addShop({
      shopId: s.shopId,
      privateKey: s.privateKey.reveal(),
      callbackUrl: at.callbackUrl,
      returnUrl: `${at.publicUrl}/return/m/${at.paymentMethodId}/[OrderID]`,
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// Ameriabank sends no callbacks and takes BackURL with each payment: the sandbox needs only the
// merchant, and the customer comes back to Settle's return page, which checks the status.
const ameria: DemoSandbox = {
  connector: 'ameria',
  name: 'Ameriabank vPOS (sandbox)',
  currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  settings: ({ base, token }) => ({
    client_id: 'demo-client',
    username: 'demo-user',
    password: token(),
    api_base_url: base,
    order_id_from: 100000,
    order_id_to: 999999,
    language: 'en',
  }),
  start(parsed) {
    const s = parsed as AmeriaSettings;
    const sandbox = new AmeriaSandbox({
      merchants: [
        {
          clientId: s.clientId,
          username: s.username,
          password: s.password.reveal(),
          orderIdFrom: s.orderIdFrom,
          orderIdTo: s.orderIdTo,
        },
      ],
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// Idram fixes RESULT_URL, SUCCESS_URL and FAIL_URL in its cabinet: the sandbox is told them here.
const idram: DemoSandbox = {
  connector: 'idram',
  name: 'Idram (sandbox)',
  currencies: ['AMD'],
  settings: ({ base, token }) => ({
    rec_account: '100000114',
    secret_key: token(),
    payment_url: `${base}/Payment/GetPayment`,
    language: 'EN',
  }),
  start(parsed, at) {
    const s = parsed as IdramSettings;
    const back = `${at.publicUrl}/return/m/${at.paymentMethodId}`;
    const sandbox = new IdramSandbox();
    sandbox.addMerchant({
      recAccount: s.recAccount,
      secretKey: s.secretKey.reveal(),
      resultUrl: at.callbackUrl,
      successUrl: back,
      failUrl: back,
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// ArCa's gateway on this server: callbacks signed with the method's HMAC key, sent as GET.
const arca: DemoSandbox = {
  connector: 'arca',
  name: 'ArCa iPay (sandbox)',
  currencies: ['AMD', 'USD', 'EUR', 'RUB'],
  settings: ({ base, token }) => ({
    username: 'demo-shop-api',
    password: token(),
    api_base_url: `${base}/payment/rest`,
    callback_hmac_key: token(),
  }),
  start(parsed, at) {
    const s = parsed as ArcaSettings;
    const sandbox = new ArcaSandbox();
    sandbox.addMerchant({
      username: s.username,
      password: s.password.reveal(),
      callbackUrl: at.callbackUrl,
      ...(s.callbackHmacKey && { hmacKey: s.callbackHmacKey.reveal() }),
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// T-Bank takes NotificationURL, SuccessURL and FailURL with each Init: the sandbox needs only the terminal.
const tbank: DemoSandbox = {
  connector: 'tbank',
  name: 'T-Bank (sandbox)',
  currencies: ['RUB'],
  settings: ({ base, token }) => ({
    terminal_key: 'DemoTerminal',
    password: token(),
    api_base_url: `${base}/v2`,
    language: 'en',
  }),
  start(parsed) {
    const s = parsed as TBankSettings;
    const sandbox = new TBankSandbox({ terminals: [{ terminalKey: s.terminalKey, password: s.password.reveal() }] });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// YooKassa's notifications are known by the address they come from: on this server, loopback.
const yookassa: DemoSandbox = {
  connector: 'yookassa',
  name: 'YooKassa (sandbox)',
  currencies: ['RUB'],
  settings: ({ base, token }) => ({
    shop_id: '100500',
    secret_key: `test_${token()}`,
    api_base_url: `${base}/v3`,
    notification_ips: ['127.0.0.1', '::1'],
  }),
  start(parsed, at) {
    const s = parsed as { shopId: string; secretKey: { reveal(): string } };
    const sandbox = new YooKassaSandbox({
      shops: [{ shopId: s.shopId, secretKey: s.secretKey.reveal(), notificationUrl: at.callbackUrl }],
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// CloudPayments posts each notice to its own address under the method's callback route.
const cloudpayments: DemoSandbox = {
  connector: 'cloudpayments',
  name: 'CloudPayments (sandbox)',
  currencies: ['RUB'],
  settings: ({ base, token }) => ({ public_id: 'pk_demo', api_secret: token(), api_base_url: base }),
  start(parsed, at) {
    const s = parsed as CloudPaymentsSettings;
    const sandbox = new CloudPaymentsSandbox({
      sites: [{ publicId: s.publicId, apiSecret: s.apiSecret.reveal(), notifyRoot: at.callbackUrl }],
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

// Robokassa fixes ResultURL, SuccessURL and FailURL in the shop's settings: the sandbox is told them here.
const robokassa: DemoSandbox = {
  connector: 'robokassa',
  name: 'Robokassa (sandbox)',
  currencies: ['RUB'],
  settings: ({ base, token }) => ({
    merchant_login: 'demo-shop',
    password1: token(),
    password2: token(),
    payment_url: `${base}/Merchant/Index.aspx`,
    api_base_url: `${base}/Merchant/WebService/Service.asmx`,
    inv_id_from: 100000,
    inv_id_to: 999999,
  }),
  start(parsed, at) {
    const s = parsed as RobokassaSettings;
    const back = `${at.publicUrl}/return/m/${at.paymentMethodId}`;
    const sandbox = new RobokassaSandbox({
      shops: [
        {
          login: s.merchantLogin,
          password1: s.password1.reveal(),
          password2: s.password2.reveal(),
          algorithm: s.hashAlgorithm,
          resultUrl: at.callbackUrl,
          successUrl: back,
          failUrl: back,
        },
      ],
    });
    return { plugin: sandbox.plugin, close: () => sandbox.close() };
  },
};

/** Every connector the demo offers, in the order the shop lists them. */
export const DEMO_SANDBOXES: readonly DemoSandbox[] = [
  acquiringV1,
  arca,
  ameria,
  idram,
  tbank,
  yookassa,
  cloudpayments,
  robokassa,
];
