import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { PaymentMethodReads, PaymentMethodWrites } from '../../ports/storage/payment-methods.js';
import type { RepoContext, Row } from './context.js';
import { readCompiled } from './compiled-reads.js';

export function paymentMethodFromRow(r: Row<'payment_methods'>): PaymentMethodRecord {
  return {
    id: r.id,
    name: r.name,
    connector: r.connector,
    settings: JSON.parse(r.settings),
    secretsCiphertext: r.secrets,
    currencies: r.currencies ? JSON.parse(r.currencies) : null,
    minAmount: r.min_amount === null ? null : Number(r.min_amount),
    maxAmount: r.max_amount === null ? null : Number(r.max_amount),
    enabled: r.enabled === 1,
    autoApprove: r.auto_approve === 1,
    autoRefundSurplus: Number(r.auto_refund_surplus) === 1,
    reportMapping: r.report_mapping ? JSON.parse(r.report_mapping) : null,
    createdAt: r.created_at,
  };
}

export function paymentMethodRepo(ctx: RepoContext): PaymentMethodReads & PaymentMethodWrites {
  return {
    async getPaymentMethod(id) {
      const [r] = await readCompiled(
        ctx,
        'getPaymentMethod',
        (db, s) => db.selectFrom('payment_methods').selectAll().where('id', '=', s(0)),
        [id],
      );
      return r && paymentMethodFromRow(r);
    },

    async listPaymentMethods() {
      const rows = await ctx.db.selectFrom('payment_methods').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(paymentMethodFromRow);
    },

    async insertPaymentMethod(pm) {
      await ctx.db
        .insertInto('payment_methods')
        .values({
          id: pm.id,
          name: pm.name,
          connector: pm.connector,
          settings: JSON.stringify(pm.settings),
          secrets: pm.secretsCiphertext,
          currencies: pm.currencies ? JSON.stringify(pm.currencies) : null,
          min_amount: pm.minAmount,
          max_amount: pm.maxAmount,
          enabled: pm.enabled ? 1 : 0,
          auto_approve: pm.autoApprove ? 1 : 0,
          auto_refund_surplus: pm.autoRefundSurplus ? 1 : 0,
          created_at: pm.createdAt,
          report_mapping: pm.reportMapping ? JSON.stringify(pm.reportMapping) : null,
        })
        .execute();
    },

    async updatePaymentMethod(id, p) {
      await ctx.db
        .updateTable('payment_methods')
        .set({
          ...(p.name !== undefined && { name: p.name }),
          ...(p.settings !== undefined && { settings: JSON.stringify(p.settings) }),
          ...(p.secretsCiphertext !== undefined && { secrets: p.secretsCiphertext }),
          ...(p.currencies !== undefined && { currencies: p.currencies ? JSON.stringify(p.currencies) : null }),
          ...(p.minAmount !== undefined && { min_amount: p.minAmount }),
          ...(p.maxAmount !== undefined && { max_amount: p.maxAmount }),
          ...(p.enabled !== undefined && { enabled: p.enabled ? 1 : 0 }),
          ...(p.autoApprove !== undefined && { auto_approve: p.autoApprove ? 1 : 0 }),
          ...(p.autoRefundSurplus !== undefined && { auto_refund_surplus: p.autoRefundSurplus ? 1 : 0 }),
        })
        .where('id', '=', id)
        .execute();
    },

    async setPaymentMethodReportMapping(id, mapping) {
      await ctx.db
        .updateTable('payment_methods')
        .set({ report_mapping: mapping === null ? null : JSON.stringify(mapping) })
        .where('id', '=', id)
        .execute();
    },
  };
}
