import type { PaymentLink } from '../../domain/payment-link.js';
import type { PaymentLinkReads, PaymentLinkWrites } from '../../ports/storage/payment-links.js';
import type { RepoContext, Row } from './context.js';

export function paymentLinkFromRow(r: Row<'payment_links'>): PaymentLink {
  return {
    id: r.id,
    orderId: r.order_id,
    amount: Number(r.amount),
    currency: r.currency,
    paymentMethodId: r.payment_method_id,
    status: r.status as PaymentLink['status'],
    expiresAt: r.expires_at,
    actor: r.actor,
    reason: r.reason,
    attemptId: r.attempt_id,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function paymentLinkRepo(ctx: RepoContext): PaymentLinkReads & PaymentLinkWrites {
  return {
    async getPaymentLink(id) {
      const r = await ctx.db.selectFrom('payment_links').selectAll().where('id', '=', id).executeTakeFirst();
      return r && paymentLinkFromRow(r);
    },

    async findPaymentLinkByTokenHash(tokenHash) {
      const r = await ctx.db
        .selectFrom('payment_links')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r && paymentLinkFromRow(r);
    },

    async listPaymentLinks(orderId) {
      const rows = await ctx.db
        .selectFrom('payment_links')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(paymentLinkFromRow);
    },

    async insertPaymentLink(l, tokenHash) {
      await ctx.db
        .insertInto('payment_links')
        .values({
          id: l.id,
          order_id: l.orderId,
          token_hash: tokenHash,
          amount: l.amount,
          currency: l.currency,
          payment_method_id: l.paymentMethodId,
          status: l.status,
          expires_at: l.expiresAt,
          actor: l.actor,
          reason: l.reason,
          attempt_id: l.attemptId,
          revoked_at: l.revokedAt,
          created_at: l.createdAt,
          updated_at: l.updatedAt,
        })
        .execute();
    },

    async updatePaymentLink(id, p) {
      await ctx.db
        .updateTable('payment_links')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.attemptId !== undefined && { attempt_id: p.attemptId }),
          ...(p.revokedAt !== undefined && { revoked_at: p.revokedAt }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
