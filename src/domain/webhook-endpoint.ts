import type { StoreStatusMap } from './store-status.js';

/** Where a store or its CRM/ERP is told of changes by signed webhooks. */
export interface WebhookEndpointRecord {
  id: string;
  url: string;
  /** Event types it receives; "*" for all. */
  events: string[];
  /** The Standard Webhooks secret, encrypted by the secret box. */
  secretCiphertext: string;
  statusMapPreset: string | null;
  /** Settle's statuses to the store's codes, the preset with overrides applied. */
  statusMap: StoreStatusMap;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
