import type { Result } from '../domain/result.js';

import type { ReceiptItem } from '../domain/receipt.js';

export type { ReceiptItem };

/** A receipt to register with the fiscal service. */
export interface ReceiptRequest {
  /** Settle's receipt id: the fiscal service's idempotency key, so a resend returns the same receipt. */
  id: string;
  kind: 'sale' | 'refund';
  orderReference: string;
  currency: string;
  /** Minor units; equals the sum of the items. */
  total: number;
  items: ReceiptItem[];
  /** Where the service sends the customer's copy, when the customer gave one. */
  customerEmail?: string;
}

export interface IssuedReceipt {
  /** The service's id for the receipt. */
  providerRef: string;
  /** The fiscal document number, as printed on the receipt. */
  fiscalNumber: string;
}

/**
 * A fiscal (receipt registration) service. Failure codes: `fiscal_rejected` (the service refused
 * the receipt: retrying the same one will not help; the message is the service's reason) and
 * `fiscal_unavailable` (no answer, timeout, a 5xx or a refused token: try again later). Never throws.
 */
export interface FiscalService {
  issue(receipt: ReceiptRequest): Promise<Result<IssuedReceipt>>;
}
