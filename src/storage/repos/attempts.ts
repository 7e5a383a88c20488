import { sql } from 'kysely';
import type { PaymentAttempt } from '../../domain/order.js';
import type { AttemptReads, AttemptWrites } from '../../ports/storage/attempts.js';
import type { RepoContext, Row } from './context.js';
import { insertUnlessConflict, updateById } from './compiled-writes.js';
import { readCompiled } from './compiled-reads.js';

export function attemptFromRow(r: Row<'payment_attempts'>): PaymentAttempt {
  return {
    id: r.id,
    orderId: r.order_id,
    paymentMethodId: r.payment_method_id,
    connector: r.connector,
    amount: Number(r.amount),
    currency: r.currency,
    providerRef: r.provider_ref,
    nextStep: r.next_step ? JSON.parse(r.next_step) : null,
    providerPaymentId: r.provider_payment_id,
    status: r.status as PaymentAttempt['status'],
    verifiedBy: r.verified_by as PaymentAttempt['verifiedBy'],
    providerStatus: r.provider_status,
    errorCode: r.error_code,
    paymentLinkId: r.payment_link_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function attemptRepo(ctx: RepoContext): AttemptReads & AttemptWrites {
  return {
    async getAttempt(id) {
      const r = await ctx.db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && attemptFromRow(r);
    },

    async listAttempts(orderId) {
      const rows = await readCompiled(
        ctx,
        'listAttempts',
        (db, s) => db.selectFrom('payment_attempts').selectAll().where('order_id', '=', s(0)).orderBy('number'),
        [orderId],
      );
      return rows.map(attemptFromRow);
    },

    async listAttemptsForOrders(orderIds) {
      const byOrder = new Map<string, PaymentAttempt[]>(orderIds.map((id) => [id, []]));
      if (orderIds.length === 0) return byOrder;
      const rows = await ctx.db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('number')
        .execute();
      for (const r of rows) byOrder.get(r.order_id)?.push(attemptFromRow(r));
      return byOrder;
    },

    async findAttemptByProviderRef(paymentMethodId, ref) {
      const [bySent] = await readCompiled(
        ctx,
        'findAttemptByProviderRef.sent',
        (db, s) =>
          db
            .selectFrom('payment_attempts')
            .selectAll()
            .where('payment_method_id', '=', s(0))
            .where('provider_ref_norm', '=', s(1)),
        [paymentMethodId, ref.norm],
      );
      if (bySent) return attemptFromRow(bySent);
      // Two indexed lookups rather than one OR, which neither store plans as well.
      const [byProviderId] = await readCompiled(
        ctx,
        'findAttemptByProviderRef.providerId',
        (db, s) =>
          db
            .selectFrom('payment_attempts')
            .selectAll()
            .where('payment_method_id', '=', s(0))
            .where('provider_payment_id', '=', s(1))
            .orderBy('created_at', 'desc')
            .limit(s(2)),
        [paymentMethodId, ref.raw, 1],
      );
      return byProviderId && attemptFromRow(byProviderId);
    },

    async listOpenAttempts(q) {
      const rows = await ctx.db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('status', 'in', ['created', 'pending', 'authorized'])
        .where('created_at', '<', q.createdBefore)
        // '' sorts before every time in both stores: never checked comes first.
        .orderBy(sql`coalesce(checked_at, '')`)
        .orderBy('created_at')
        .limit(q.limit)
        .execute();
      return rows.map(attemptFromRow);
    },

    async findAttemptsByProviderRefs(paymentMethodId, refsNorm) {
      if (refsNorm.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('payment_method_id', '=', paymentMethodId)
        .where('provider_ref_norm', 'in', refsNorm)
        .execute();
      return rows.map(attemptFromRow);
    },

    async insertAttempt(a, providerRefNorm) {
      // The attempt's number is one past the order's count of attempts, counted in the insert
      // itself (under the order's lock, which every caller holds).
      return insertUnlessConflict(
        ctx,
        'payment_attempts',
        {
          id: a.id,
          order_id: a.orderId,
          payment_method_id: a.paymentMethodId,
          connector: a.connector,
          amount: a.amount,
          currency: a.currency,
          provider_ref: a.providerRef,
          provider_ref_norm: providerRefNorm,
          next_step: a.nextStep ? JSON.stringify(a.nextStep) : null,
          provider_payment_id: a.providerPaymentId,
          status: a.status,
          verified_by: a.verifiedBy,
          provider_status: a.providerStatus,
          error_code: a.errorCode,
          payment_link_id: a.paymentLinkId,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        },
        ['payment_method_id', 'provider_ref_norm'],
        { number: (slot) => sql`(select count(*) + 1 from payment_attempts where order_id = ${slot('order_id')})` },
      );
    },

    async updateAttempt(id, p) {
      await ctx.write(
        'payment_attempts',
        'update',
        updateById(
          ctx,
          'payment_attempts',
          {
            status: p.status,
            next_step: p.nextStep === undefined ? undefined : p.nextStep ? JSON.stringify(p.nextStep) : null,
            provider_payment_id: p.providerPaymentId,
            verified_by: p.verifiedBy,
            provider_status: p.providerStatus,
            error_code: p.errorCode,
            updated_at: p.updatedAt,
          },
          id,
        ),
      );
    },

    async markAttemptChecked(id, at) {
      await ctx.write(
        'payment_attempts',
        'update',
        ctx.db.updateTable('payment_attempts').set({ checked_at: at }).where('id', '=', id),
      );
    },

    async nextReferenceNumber(name, range, at) {
      // One statement in both stores: the insert or the update locks the row until commit.
      const row = await ctx.db
        .insertInto('reference_counters')
        .values({ name, last_value: range.from, updated_at: at })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            last_value: eb
              .case()
              .when('reference_counters.last_value', '<', range.from)
              .then(range.from)
              // Used up: stays one past the end rather than growing with every refused payment.
              .when('reference_counters.last_value', '>', range.to)
              .then(eb.ref('reference_counters.last_value'))
              .else(eb('reference_counters.last_value', '+', 1))
              .end(),
            updated_at: at,
          })),
        )
        .returning('last_value')
        .executeTakeFirstOrThrow();
      const n = Number(row.last_value);
      return n <= range.to ? n : undefined;
    },
  };
}
