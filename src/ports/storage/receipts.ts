import type { FiscalReceipt } from '../../domain/receipt.js';

export interface ReceiptPatch {
  status?: FiscalReceipt['status'];
  providerRef?: string | null;
  fiscalNumber?: string | null;
  error?: string | null;
  updatedAt: string;
}

/** Fiscal receipts. */
export interface ReceiptReads {
  /** Oldest first. */
  listReceipts(orderId: string): Promise<FiscalReceipt[]>;
  getReceipt(id: string): Promise<FiscalReceipt | undefined>;
}

export interface ReceiptWrites {
  insertReceipt(r: FiscalReceipt): Promise<void>;
  updateReceipt(id: string, patch: ReceiptPatch): Promise<void>;
}
