import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';

export const LANGUAGES = ['am', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface AmeriaSettings {
  clientId: string;
  username: string;
  password: Secret;
  /** The vPOS root without a trailing slash: `/api/VPOS/...` and `/Payments/Pay` hang off it. */
  apiBaseUrl: string;
  /** The OrderID range the bank assigned, both ends included. */
  orderIdFrom: number;
  orderIdTo: number;
  /** The payment page's language. */
  language: Language;
}

export const DEFAULT_API_BASE_URL = 'https://services.ameriabank.am/VPOS';
export const TEST_API_BASE_URL = 'https://servicestest.ameriabank.am/VPOS';
const URL_MAX = 2048;
/** OrderIDs are integers on the wire; Settle keeps them exact, so no further than the safe integers. */
export const ORDER_ID_MAX = Number.MAX_SAFE_INTEGER;

/** Draft-07 compatible; no `format` keywords, so any Ajv set-up accepts it. */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'username', 'password', 'order_id_from', 'order_id_to'],
  properties: {
    client_id: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^\\S+$',
      title: 'ClientID',
      description: "The merchant's ClientID at Ameriabank (a GUID in the bank's examples).",
    },
    username: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      pattern: '^\\S+$',
      title: 'Username',
      description: "The merchant's vPOS user name.",
    },
    password: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      writeOnly: true,
      title: 'Password',
      description: "The merchant's vPOS password. A secret: stored encrypted, never shown again.",
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'vPOS base URL',
      description: `The vPOS root: ${DEFAULT_API_BASE_URL} (live) or ${TEST_API_BASE_URL} (test).`,
    },
    order_id_from: {
      type: 'integer',
      minimum: 1,
      maximum: ORDER_ID_MAX,
      title: 'First OrderID',
      description: 'The first number of the OrderID range the bank assigned to this merchant.',
    },
    order_id_to: {
      type: 'integer',
      minimum: 1,
      maximum: ORDER_ID_MAX,
      title: 'Last OrderID',
      description: 'The last number of the OrderID range the bank assigned (included).',
    },
    language: {
      type: 'string',
      maxLength: 2,
      pattern: '^(am|ru|en)$',
      default: 'am',
      title: 'Payment page language',
      description: 'am (Armenian), ru (Russian) or en (English).',
    },
  },
};

/**
 * Validated by the schema (the kit), then: the range runs upwards and the base URL is an http(s)
 * URL without query or fragment. The password arrives wrapped as a Secret; messages name the
 * field, never a value.
 */
export const { secretFields, parseSettings } = defineSettings<AmeriaSettings>({
  schema: settingsSchema,
  patternMessages: {
    client_id: 'must not contain spaces.',
    username: 'must not contain spaces.',
    api_base_url: 'must be an http or https URL.',
    language: 'must be am, ru or en.',
  },
  build(values) {
    const from = values.order_id_from as number;
    const to = values.order_id_to as number;
    if (from > to) return settingsInvalid('order_id_to', 'order_id_to must not be below order_id_from.');
    const base = values.api_base_url as string;
    const problem = checkBaseUrl(base);
    if (problem) return settingsInvalid('api_base_url', problem);
    return ok({
      clientId: values.client_id as string,
      username: values.username as string,
      password: values.password as Secret,
      apiBaseUrl: base.replace(/\/+$/, ''),
      orderIdFrom: from,
      orderIdTo: to,
      language: values.language as Language,
    });
  },
});

function checkBaseUrl(base: string): string | undefined {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return 'api_base_url must be an http or https URL.';
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '')
    return 'api_base_url must be an http or https URL.';
  if (u.username || u.password) return 'api_base_url must not carry a user name or password.';
  if (u.search || u.hash || base.includes('?') || base.includes('#'))
    return 'api_base_url must not have a query string or fragment: /api/VPOS/... is appended to it.';
  return undefined;
}
