import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { apiBaseProblem } from '../kit/api-base.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';

export interface TBankSettings {
  terminalKey: string;
  password: Secret;
  /** The API root without a trailing slash; `/Init` etc. are appended. */
  apiBaseUrl: string;
  /** The payment form's language: `ru` or `en`. */
  language: 'ru' | 'en';
}

export const DEFAULT_API_BASE_URL = 'https://securepay.tinkoff.ru/v2';
const URL_MAX = 2048;

/** Draft-07 compatible; no `format` keywords. */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['terminal_key', 'password'],
  properties: {
    terminal_key: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      title: 'TerminalKey',
      description: "The terminal's id, from T-Bank's merchant cabinet (Терминалы → TerminalKey).",
    },
    password: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      writeOnly: true,
      title: 'Password',
      description:
        "The terminal's password, which signs every request and notification. A secret: stored encrypted, never shown again.",
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'API base URL',
      description: `T-Bank's API root. Live: ${DEFAULT_API_BASE_URL}.`,
    },
    language: {
      type: 'string',
      enum: ['ru', 'en'],
      default: 'ru',
      title: 'Payment form language',
      description: 'The language of T-Bank’s payment form (Init Language): ru or en.',
    },
  },
};

/**
 * Validated by the schema (the kit), then: the API root is an http(s) URL without query,
 * fragment or credentials. The password arrives wrapped as Secret; messages name the field only.
 */
export const { secretFields, parseSettings } = defineSettings<TBankSettings>({
  schema: settingsSchema,
  patternMessages: {
    terminal_key: 'must be Latin letters, digits, "-" and "_".',
    api_base_url: 'must be an http or https URL.',
  },
  build(values) {
    const base = values.api_base_url as string;
    const problem = apiBaseProblem(base, '/Init and the other methods');
    if (problem) return settingsInvalid('api_base_url', problem);
    return ok({
      terminalKey: values.terminal_key as string,
      password: values.password as Secret,
      apiBaseUrl: base.replace(/\/+$/, ''),
      language: values.language as 'ru' | 'en',
    });
  },
});
