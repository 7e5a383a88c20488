import { RECEIPT_STATUSES, type FiscalReceipt } from '../domain/receipt.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

/** A fiscal receipt (sale or refund) and what the fiscal service answered. */
export const receiptSchema = {
  type: 'object',
  properties: {
    id: str,
    order_id: str,
    kind: { type: 'string', enum: ['sale', 'refund'] },
    payment_id: nullable(str),
    refund_id: nullable(str),
    amount: int,
    currency: str,
    items: {
      type: 'array',
      items: { type: 'object', properties: { name: str, quantity: int, amount: int } },
    },
    status: { type: 'string', enum: [...RECEIPT_STATUSES] },
    provider_ref: nullable(str),
    fiscal_number: nullable(str),
    error: nullable(str),
    created_at: dateTime,
    updated_at: dateTime,
  },
} as const;

export type ReceiptView = Wire<typeof receiptSchema>;

export function receiptView(r: FiscalReceipt): ReceiptView {
  return {
    id: r.id,
    order_id: r.orderId,
    kind: r.kind,
    payment_id: r.attemptId,
    refund_id: r.refundId,
    amount: r.amount,
    currency: r.currency,
    items: r.items,
    status: r.status,
    provider_ref: r.providerRef,
    fiscal_number: r.fiscalNumber,
    error: r.error,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
