import type { FiscalReceipt } from '../../domain/receipt.js';
import type { ReceiptReads, ReceiptWrites } from '../../ports/storage/receipts.js';
import type { RepoContext, Row } from './context.js';

export function receiptFromRow(r: Row<'receipts'>): FiscalReceipt {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind as FiscalReceipt['kind'],
    attemptId: r.attempt_id,
    refundId: r.refund_id,
    amount: Number(r.amount),
    currency: r.currency,
    items: JSON.parse(r.items),
    status: r.status as FiscalReceipt['status'],
    providerRef: r.provider_ref,
    fiscalNumber: r.fiscal_number,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function receiptRepo(ctx: RepoContext): ReceiptReads & ReceiptWrites {
  return {
    async listReceipts(orderId) {
      const rows = await ctx.db
        .selectFrom('receipts')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(receiptFromRow);
    },

    async getReceipt(id) {
      const r = await ctx.db.selectFrom('receipts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && receiptFromRow(r);
    },

    async insertReceipt(r) {
      await ctx.db
        .insertInto('receipts')
        .values({
          id: r.id,
          order_id: r.orderId,
          kind: r.kind,
          attempt_id: r.attemptId,
          refund_id: r.refundId,
          amount: r.amount,
          currency: r.currency,
          items: JSON.stringify(r.items),
          status: r.status,
          provider_ref: r.providerRef,
          fiscal_number: r.fiscalNumber,
          error: r.error,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .execute();
    },

    async updateReceipt(id, p) {
      await ctx.db
        .updateTable('receipts')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.providerRef !== undefined && { provider_ref: p.providerRef }),
          ...(p.fiscalNumber !== undefined && { fiscal_number: p.fiscalNumber }),
          ...(p.error !== undefined && { error: p.error }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
