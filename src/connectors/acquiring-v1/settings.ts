import type { JsonSchema } from '../../ports/connector.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { Secret } from '../../domain/secret.js';

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

export const secretFields = ['private_key'] as const;

const KNOWN = new Set(['shop_id', 'private_key', 'payment_page_url', 'api_base_url']);

/** Counts characters as JSON schema's maxLength does (code points), so both agree at the limits. */
const length = (s: string): number => [...s].length;

const invalid = (field: string, message: string) => fail('settings_invalid', message, { field });

/**
 * Validates the settings beyond the schema and wraps the private key as a Secret. The key may
 * also arrive already wrapped (decrypted by the caller). Messages name the field, never the key.
 */
export function parseSettings(input: Record<string, unknown>): Result<AcquiringV1Settings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('settings_invalid', 'Settings must be an object.');
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) return invalid(key, `Unknown setting "${key.slice(0, 64)}".`);
  }

  const shopId = input.shop_id;
  if (typeof shopId !== 'string') return invalid('shop_id', 'shop_id is required and must be a string.');
  if (length(shopId) < 1 || length(shopId) > 32) return invalid('shop_id', 'shop_id must be 1 to 32 characters long.');
  if (/\s/.test(shopId)) return invalid('shop_id', 'shop_id must not contain spaces.');

  const rawKey = input.private_key instanceof Secret ? input.private_key.reveal() : input.private_key;
  if (typeof rawKey !== 'string') return invalid('private_key', 'private_key is required and must be a string.');
  if (length(rawKey) < 1 || length(rawKey) > 128) {
    return invalid('private_key', 'private_key must be 1 to 128 characters long.');
  }

  const pageUrl = input.payment_page_url ?? DEFAULT_PAYMENT_PAGE_URL;
  if (typeof pageUrl !== 'string') return invalid('payment_page_url', 'payment_page_url must be a string.');
  const pageProblem = checkPageFormat(pageUrl);
  if (pageProblem) return invalid('payment_page_url', pageProblem);

  const apiBase = input.api_base_url;
  if (typeof apiBase !== 'string') return invalid('api_base_url', 'api_base_url is required and must be a string.');
  const apiProblem = checkApiBase(apiBase);
  if (apiProblem) return invalid('api_base_url', apiProblem);

  return ok({
    shopId,
    privateKey: new Secret(rawKey),
    paymentPageUrl: pageUrl,
    apiBaseUrl: apiBase.replace(/\/+$/, ''),
  });
}

function checkPageFormat(format: string): string | undefined {
  if (format.length > URL_MAX) return `payment_page_url must be at most ${URL_MAX} characters long.`;
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
  if (base.length > URL_MAX) return `api_base_url must be at most ${URL_MAX} characters long.`;
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
