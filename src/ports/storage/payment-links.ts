import type { PaymentLink } from '../../domain/payment-link.js';

export interface PaymentLinkPatch {
  status?: PaymentLink['status'];
  attemptId?: string | null;
  revokedAt?: string | null;
  updatedAt: string;
}

/** Pay-by-link: found by id, by the hash of its token, or by order. */
export interface PaymentLinkReads {
  getPaymentLink(id: string): Promise<PaymentLink | undefined>;
  findPaymentLinkByTokenHash(tokenHash: string): Promise<PaymentLink | undefined>;
  /** Oldest first. */
  listPaymentLinks(orderId: string): Promise<PaymentLink[]>;
}

export interface PaymentLinkWrites {
  /** Throws on a second active link for one order: the database holds that rule, not only the code. */
  insertPaymentLink(link: PaymentLink, tokenHash: string): Promise<void>;
  updatePaymentLink(id: string, patch: PaymentLinkPatch): Promise<void>;
}
