import type { Adjustment } from '../../domain/adjustment.js';
import type { Chargeback } from '../../domain/chargeback.js';
import type { Refund, RefundStatus } from '../../domain/refund.js';

export interface RefundPatch {
  status?: RefundStatus;
  providerRef?: string | null;
  error?: string | null;
  updatedAt: string;
}

export interface ChargebackPatch {
  status?: Chargeback['status'];
  note?: string | null;
  providerRef?: string;
  updatedAt: string;
}

/** Refunds, chargebacks and adjustments: the records that change what an order is worth. */
export interface MoneyRecordReads {
  /** Oldest first. */
  listRefunds(orderId: string): Promise<Refund[]>;
  getRefund(id: string): Promise<Refund | undefined>;
  listRefundsByStatus(q: { status: RefundStatus; updatedBefore: string; limit: number }): Promise<Refund[]>;
  findRefundsByProviderRefs(refs: readonly string[]): Promise<Refund[]>;
  /** Oldest first. */
  listChargebacks(orderId: string): Promise<Chargeback[]>;
  getChargeback(id: string): Promise<Chargeback | undefined>;
  findChargebackByProviderRef(attemptId: string, providerRef: string): Promise<Chargeback | undefined>;
  /** Oldest first. */
  listAdjustments(orderId: string): Promise<Adjustment[]>;
}

export interface MoneyRecordWrites {
  insertRefund(r: Refund): Promise<void>;
  updateRefund(id: string, patch: RefundPatch): Promise<void>;
  insertChargeback(c: Chargeback): Promise<void>;
  /** providerRef: set once, when a provider's notice is matched to a chargeback recorded by hand. */
  updateChargeback(id: string, patch: ChargebackPatch): Promise<void>;
  insertAdjustment(a: Adjustment): Promise<void>;
}
