import type { CsvMapping } from './report.js';

/** A provider account configured in Settle: its connector, settings, limits and secrets (encrypted). */
export interface PaymentMethodRecord {
  id: string;
  name: string;
  connector: string;
  /** Settings without the secret fields. */
  settings: Record<string, unknown>;
  /** The secret fields, encrypted as one JSON object by the secret box. */
  secretsCiphertext: string;
  currencies: string[] | null;
  minAmount: number | null;
  maxAmount: number | null;
  enabled: boolean;
  autoApprove: boolean;
  /** A second payment of an order already paid is refunded in full by itself, where the connector can refund. */
  autoRefundSurplus: boolean;
  /** How to read this provider's report when its connector has no parser of its own (a CSV mapping). */
  reportMapping: CsvMapping | null;
  createdAt: string;
}
