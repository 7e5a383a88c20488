import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';

export interface AcquiringV1Settings {
  shopId: string;
  privateKey: Secret;
  /** The payment page format with [ShopID], [OrderID], [Amount] and [Hash] placeholders. */
  paymentPageUrl: string;
  /** The API root without a trailing slash; /api/v1/... is appended. */
  apiBaseUrl: string;
}

export const DEFAULT_PAYMENT_PAGE_URL = 'https://HOST/p/[ShopID]/[OrderID]/[Amount]/[Hash]';
const URL_MAX = 2048;

/** Draft-07 compatible; no `format` keywords, so any Ajv set-up accepts it. */
export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['shop_id', 'private_key', 'api_base_url'],
  properties: {
    shop_id: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      pattern: '^\\S+$',
      title: 'Shop ID',
      description: "The shop's ID at the acquirer (case-insensitive).",
    },
    private_key: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      writeOnly: true,
      title: 'Private key',
      description: 'The key the acquirer signs with. A secret: stored encrypted, never shown again.',
    },
    payment_page_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      default: DEFAULT_PAYMENT_PAGE_URL,
      title: 'Payment page URL format',
      description:
        "Where the customer is sent. Replace HOST with the acquirer's host; [OrderID], [Amount] and [Hash] are required, [ShopID] optional.",
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX,
      pattern: '^https?://',
      title: 'API base URL',
      description: "The acquirer's API root, under which /api/v1/... lives.",
    },
  },
};

/**
 * Validated by the schema (the kit), then: the payment page format has its placeholders and no
 * HOST left, the API root is an http(s) URL without query or fragment. The private key arrives
 * wrapped as a Secret. Messages name the field, never the key.
 */
export const { secretFields, parseSettings } = defineSettings<AcquiringV1Settings>({
  schema: settingsSchema,
  patternMessages: {
    shop_id: 'must not contain spaces.',
    payment_page_url: 'must be an http or https URL.',
    api_base_url: 'must be an http or https URL.',
  },
  build(values) {
    const pageUrl = values.payment_page_url as string;
    const pageProblem = checkPageFormat(pageUrl);
    if (pageProblem) return settingsInvalid('payment_page_url', pageProblem);
    const apiBase = values.api_base_url as string;
    const apiProblem = checkApiBase(apiBase);
    if (apiProblem) return settingsInvalid('api_base_url', apiProblem);
    return ok({
      shopId: values.shop_id as string,
      privateKey: values.private_key as Secret,
      paymentPageUrl: pageUrl,
      apiBaseUrl: apiBase.replace(/\/+$/, ''),
    });
  },
});

function checkPageFormat(format: string): string | undefined {
  if (format.includes('://HOST')) {
    return "payment_page_url still has the placeholder HOST: replace it with the acquirer's payment page host.";
  }
  const missing = ['[OrderID]', '[Amount]', '[Hash]'].filter((p) => !format.includes(p));
  if (missing.length > 0) return `payment_page_url must contain ${missing.join(', ')}.`;
  // Check the URL with sample values in place, as it will be built.
  const sample = format
    .replaceAll('[ShopID]', 'shop')
    .replaceAll('[OrderID]', 'fd-1240')
    .replaceAll('[Amount]', '1.00')
    .replaceAll('[Hash]', '0');
  if (!isHttpUrl(sample)) return 'payment_page_url must be an http or https URL.';
  return undefined;
}

function checkApiBase(base: string): string | undefined {
  if (!isHttpUrl(base)) return 'api_base_url must be an http or https URL.';
  const u = new URL(base);
  if (u.search || u.hash || base.includes('?') || base.includes('#')) {
    return 'api_base_url must not have a query string or fragment: /api/v1/... is appended to it.';
  }
  return undefined;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
