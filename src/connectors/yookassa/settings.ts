import type { BlockList } from 'node:net';
import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { apiBaseProblem } from '../kit/api-base.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';
import { addressList, YOOKASSA_NOTIFICATION_IPS } from './wire.js';

export interface YooKassaSettings {
  shopId: string;
  secretKey: Secret;
  /** The API root without a trailing slash; `/payments` etc. are appended. */
  apiBaseUrl: string;
  /** true: one stage (YooKassa captures at once); false: a hold Settle captures or voids. */
  capture: boolean;
  /** Where notifications may come from. */
  notificationIps: BlockList;
}

export const DEFAULT_API_BASE_URL = 'https://api.yookassa.ru/v3';

/** Draft-07 compatible; no `format` keywords. */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['shop_id', 'secret_key'],
  properties: {
    shop_id: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      pattern: '^[0-9]+$',
      title: 'shopId',
      description: "The shop's id in YooKassa's cabinet (digits).",
    },
    secret_key: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      writeOnly: true,
      title: 'Secret key',
      description: 'The API secret key (live_… or test_…). A secret: stored encrypted, never shown again.',
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'API base URL',
      description: `YooKassa's API root. Live and test shops alike: ${DEFAULT_API_BASE_URL}.`,
    },
    capture: {
      type: 'boolean',
      default: true,
      title: 'Capture at once',
      description: 'true: one-stage payments. false: YooKassa holds the money and Settle captures or releases it.',
    },
    notification_ips: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      items: { type: 'string', minLength: 2, maxLength: 64 },
      default: [...YOOKASSA_NOTIFICATION_IPS],
      title: 'Notification addresses',
      description:
        "Where YooKassa's notifications may come from (addresses and CIDR ranges). Default: the ranges YooKassa publishes. Behind a reverse proxy, put the proxy's address here and filter at the proxy.",
    },
  },
};

export const { secretFields, parseSettings } = defineSettings<YooKassaSettings>({
  schema: settingsSchema,
  patternMessages: { shop_id: 'must be digits.', api_base_url: 'must be an http or https URL.' },
  build(values) {
    const base = values.api_base_url as string;
    const problem = apiBaseProblem(base, '/payments and the other paths');
    if (problem) return settingsInvalid('api_base_url', problem);
    const list = addressList(values.notification_ips as string[]);
    if (typeof list === 'string') return settingsInvalid('notification_ips', `notification_ips: ${list}.`);
    return ok({
      shopId: values.shop_id as string,
      secretKey: values.secret_key as Secret,
      apiBaseUrl: base.replace(/\/+$/, ''),
      capture: values.capture as boolean,
      notificationIps: list,
    });
  },
});
