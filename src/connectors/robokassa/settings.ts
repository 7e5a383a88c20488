import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { apiBaseProblem } from '../kit/api-base.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';
import { HASH_ALGORITHMS, INV_ID_MAX, type HashAlgorithm } from './wire.js';

export interface RobokassaSettings {
  merchantLogin: string;
  password1: Secret;
  password2: Secret;
  hashAlgorithm: HashAlgorithm;
  testMode: boolean;
  paymentUrl: string;
  /** The XML service root; `/OpStateExt` is appended. */
  apiBaseUrl: string;
  invIdFrom: number;
  invIdTo: number;
}

export const DEFAULT_PAYMENT_URL = 'https://auth.robokassa.ru/Merchant/Index.aspx';
export const DEFAULT_API_BASE_URL = 'https://auth.robokassa.ru/Merchant/WebService/Service.asmx';

const secret = (title: string, description: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: 128,
  writeOnly: true,
  title,
  description,
});

export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['merchant_login', 'password1', 'password2'],
  properties: {
    merchant_login: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^\\S+$',
      title: 'Shop identifier',
      description: "The shop's MerchantLogin at Robokassa.",
    },
    password1: secret('Password #1', 'Signs the payment URL (and the SuccessURL request). A secret.'),
    password2: secret('Password #2', 'Signs ResultURL notifications and the status service. A secret.'),
    hash_algorithm: {
      type: 'string',
      enum: [...HASH_ALGORITHMS],
      default: 'md5',
      title: 'Hash algorithm',
      description: "As set in the shop's technical settings.",
    },
    test_mode: {
      type: 'boolean',
      default: false,
      title: 'Test mode',
      description: 'Sends IsTest=1: Robokassa then expects the test passwords.',
    },
    payment_url: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      default: DEFAULT_PAYMENT_URL,
      title: 'Payment page URL',
      description: `Default ${DEFAULT_PAYMENT_URL}.`,
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'XML service URL',
      description: `The status service root. Default ${DEFAULT_API_BASE_URL}.`,
    },
    inv_id_from: {
      type: 'integer',
      minimum: 1,
      maximum: INV_ID_MAX,
      default: 1,
      title: 'First InvId',
      description: 'Settle numbers payments from here, each number once.',
    },
    inv_id_to: {
      type: 'integer',
      minimum: 1,
      maximum: INV_ID_MAX,
      default: INV_ID_MAX,
      title: 'Last InvId',
      description: 'The last number Settle may hand out.',
    },
  },
};

export const { secretFields, parseSettings } = defineSettings<RobokassaSettings>({
  schema: settingsSchema,
  patternMessages: {
    merchant_login: 'must not contain spaces.',
    payment_url: 'must be an http or https URL.',
    api_base_url: 'must be an http or https URL.',
  },
  build(v) {
    const paymentUrl = v.payment_url as string;
    const apiBase = v.api_base_url as string;
    const pageProblem = apiBaseProblem(paymentUrl, 'the payment parameters');
    if (pageProblem) return settingsInvalid('payment_url', pageProblem.replace('api_base_url', 'payment_url'));
    const apiProblem = apiBaseProblem(apiBase, '/OpStateExt');
    if (apiProblem) return settingsInvalid('api_base_url', apiProblem);
    const from = v.inv_id_from as number;
    const to = v.inv_id_to as number;
    if (from > to) return settingsInvalid('inv_id_to', 'inv_id_to must not be below inv_id_from.');
    return ok({
      merchantLogin: v.merchant_login as string,
      password1: v.password1 as Secret,
      password2: v.password2 as Secret,
      hashAlgorithm: v.hash_algorithm as HashAlgorithm,
      testMode: v.test_mode as boolean,
      paymentUrl,
      apiBaseUrl: apiBase.replace(/\/+$/, ''),
      invIdFrom: from,
      invIdTo: to,
    });
  },
});
