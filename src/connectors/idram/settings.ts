import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';
import { LANGUAGES, type Language } from './wire.js';

export interface IdramSettings {
  /** The merchant's IdramID (EDP_REC_ACCOUNT). */
  recAccount: string;
  /** Idram's SECRET_KEY for this merchant: it signs the payment confirmation. */
  secretKey: Secret;
  /** Where the payment form is posted. */
  paymentUrl: string;
  /** EDP_LANGUAGE: the language of Idram's pages. */
  language: Language;
}

export const DEFAULT_PAYMENT_URL = 'https://banking.idram.am/Payment/GetPayment';
const URL_MAX = 2048;

/** Draft-07 compatible; no `format` keywords, so any Ajv set-up accepts it. */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rec_account', 'secret_key'],
  properties: {
    rec_account: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      // IdramIDs are numbers (Idram's own example: 100000114). Digits only also keeps the ":"
      // that joins the checksum's fields out of it.
      pattern: '^[0-9]+$',
      title: 'IdramID (EDP_REC_ACCOUNT)',
      description: "The merchant's IdramID that receives the payments, as Idram gave it.",
    },
    secret_key: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      writeOnly: true,
      title: 'Secret key',
      description:
        "Idram's SECRET_KEY for this merchant; it signs the payment confirmation. A secret: stored encrypted, never shown again.",
    },
    payment_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      default: DEFAULT_PAYMENT_URL,
      title: 'Payment form URL',
      description: 'Where the payment form is posted (Idram: https://banking.idram.am/Payment/GetPayment).',
    },
    language: {
      type: 'string',
      enum: [...LANGUAGES],
      default: 'AM',
      title: 'Language (EDP_LANGUAGE)',
      description: "The language of Idram's payment pages: AM, RU or EN.",
    },
  },
};

/**
 * Validated by the schema (the kit), then: the payment URL is an http(s) URL without a fragment.
 * The secret key arrives wrapped as a Secret. Messages name the field, never the key.
 */
export const { secretFields, parseSettings } = defineSettings<IdramSettings>({
  schema: settingsSchema,
  patternMessages: {
    rec_account: 'must be the IdramID, digits only.',
    payment_url: 'must be an http or https URL.',
  },
  build(values) {
    const paymentUrl = values.payment_url as string;
    if (!isHttpUrl(paymentUrl) || paymentUrl.includes('#'))
      return settingsInvalid('payment_url', 'payment_url must be an http or https URL without a fragment.');
    return ok({
      recAccount: values.rec_account as string,
      secretKey: values.secret_key as Secret,
      paymentUrl,
      language: values.language as Language,
    });
  },
});

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
