import { text } from '../contract/fields.js';

/** A line of a refund, a shipment or an adjustment in a request: which SKU, how many. */
export const skuQuantityLine = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity'],
  properties: { sku: text(64), quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
} as const;
