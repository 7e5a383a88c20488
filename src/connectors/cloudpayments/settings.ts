import { ok } from '../../domain/result.js';
import type { Secret } from '../../domain/secret.js';
import type { JsonSchema } from '../../ports/connector.js';
import { defineSettings, settingsInvalid } from '../kit/settings.js';
import { apiBaseProblem } from '../kit/api-base.js';

export interface CloudPaymentsSettings {
  publicId: string;
  apiSecret: Secret;
  apiBaseUrl: string;
}

export const DEFAULT_API_BASE_URL = 'https://api.cloudpayments.ru';

export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['public_id', 'api_secret'],
  properties: {
    public_id: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      title: 'Public ID',
      description: "The site's Public ID from CloudPayments' cabinet.",
    },
    api_secret: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      writeOnly: true,
      title: 'API secret',
      description:
        'The API password: it authenticates calls and signs notifications. A secret: stored encrypted, never shown again.',
    },
    api_base_url: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      default: DEFAULT_API_BASE_URL,
      title: 'API base URL',
      description: `CloudPayments' API root: ${DEFAULT_API_BASE_URL}.`,
    },
  },
};

export const { secretFields, parseSettings } = defineSettings<CloudPaymentsSettings>({
  schema: settingsSchema,
  patternMessages: {
    public_id: 'must be Latin letters, digits, "-" and "_".',
    api_base_url: 'must be an http or https URL.',
  },
  build(values) {
    const base = values.api_base_url as string;
    const problem = apiBaseProblem(base, '/orders/create and the other methods');
    if (problem) return settingsInvalid('api_base_url', problem);
    return ok({
      publicId: values.public_id as string,
      apiSecret: values.api_secret as Secret,
      apiBaseUrl: base.replace(/\/+$/, ''),
    });
  },
});
