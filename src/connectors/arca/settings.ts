import type { KeyObject } from 'node:crypto';
import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';
import { readPublicKey } from './checksum.js';

export interface ArcaSettings {
  /** The merchant's API login (BPC `userName`). */
  username: string;
  password: Secret;
  /** The REST root without a trailing slash; `/register.do` etc. are appended. */
  apiBaseUrl: string;
  /** The shared key of HMAC-SHA256 callback checksums, when the merchant has them. */
  callbackHmacKey?: Secret;
  /** The gateway's RSA public key for SHA-512 callback checksums, when the merchant has them. */
  callbackPublicKey?: KeyObject;
  /** The payment page's language (ISO 639-1). */
  language: string;
}

export const DEFAULT_API_BASE_URL = 'https://ipay.arca.am/payment/rest';
export const TEST_API_BASE_URL = 'https://ipaytest.arca.am:8445/payment/rest';
const URL_MAX = 2048;
const PUBLIC_KEY_MAX = 16 * 1024;

/** Draft-07 compatible; no `format` keywords. Lengths of userName and password are BPC's ([1..100], [1..200]). */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '^\\S+$',
      title: 'API user name',
      description: "The merchant's API login at ArCa (userName, usually ending in -api).",
    },
    password: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      writeOnly: true,
      title: 'API password',
      description: "The API login's password. A secret: stored encrypted, never shown again.",
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'API base URL',
      description: `The gateway's REST root. Live: ${DEFAULT_API_BASE_URL}; ArCa's test gateway: ${TEST_API_BASE_URL}.`,
    },
    callback_hmac_key: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      writeOnly: true,
      title: 'Callback key (symmetric)',
      description:
        'The key ArCa gives for callback checksums (HMAC-SHA256), if the merchant has them. A secret. With a key set, a callback without a valid checksum is refused.',
    },
    callback_public_key: {
      type: 'string',
      minLength: 1,
      maxLength: PUBLIC_KEY_MAX,
      title: 'Callback public key (asymmetric)',
      description:
        "The gateway's RSA public key, or its X.509 certificate (PEM or one-line base64), for callback checksums signed with SHA-512. With a key set, a callback without a valid checksum is refused.",
    },
    language: {
      type: 'string',
      minLength: 2,
      maxLength: 2,
      pattern: '^[a-z]{2}$',
      default: 'en',
      title: 'Payment page language',
      description: 'ISO 639-1 code of the payment page language (hy, ru, en).',
    },
  },
};

/**
 * Validated by the schema (the kit), then: the API root is an http(s) URL without query or
 * fragment; the public key, when given, is an RSA public key or certificate. Secrets arrive
 * wrapped as Secret; messages name the field, never a value.
 */
export const { secretFields, parseSettings } = defineSettings<ArcaSettings>({
  schema: settingsSchema,
  patternMessages: {
    username: 'must not contain spaces.',
    api_base_url: 'must be an http or https URL.',
    language: 'must be a two-letter ISO 639-1 code in lower case (en, ru, hy).',
  },
  build(values) {
    const apiBase = values.api_base_url as string;
    const apiProblem = checkApiBase(apiBase);
    if (apiProblem) return settingsInvalid('api_base_url', apiProblem);
    let callbackPublicKey: KeyObject | undefined;
    if (typeof values.callback_public_key === 'string') {
      const read = readPublicKey(values.callback_public_key);
      if (typeof read === 'string') return settingsInvalid('callback_public_key', `callback_public_key ${read}`);
      callbackPublicKey = read;
    }
    return ok({
      username: values.username as string,
      password: values.password as Secret,
      apiBaseUrl: apiBase.replace(/\/+$/, ''),
      ...(values.callback_hmac_key !== undefined && { callbackHmacKey: values.callback_hmac_key as Secret }),
      ...(callbackPublicKey && { callbackPublicKey }),
      language: values.language as string,
    });
  },
});

function checkApiBase(base: string): string | undefined {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    return 'api_base_url must be an http or https URL.';
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '')
    return 'api_base_url must be an http or https URL.';
  if (u.search || u.hash || base.includes('?') || base.includes('#'))
    return 'api_base_url must not have a query string or fragment: /register.do and the other methods are appended to it.';
  if (u.username || u.password) return 'api_base_url must not carry a user name or password: they are settings.';
  return undefined;
}
