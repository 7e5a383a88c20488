import { sql, type CompiledQuery } from 'kysely';
import type { Order } from '../../domain/order.js';
import { normalizeEmail } from '../../domain/review.js';
import type { OrderReads, OrderWrites } from '../../ports/storage/orders.js';
import type { RepoContext, Row } from './context.js';
import { readLastSeq } from './timeline.js';
import { insertUnlessConflict, updateById } from './compiled-writes.js';
import { compiledRead, readCompiled, rowsOf } from './compiled-reads.js';

// Row <-> domain mapping. The casts on status columns are safe because only these mappers write them.

export function orderFromRow(r: Row<'orders'>): Order {
  return {
    id: r.id,
    reference: r.reference,
    currency: r.currency,
    originalAmount: Number(r.original_amount),
    amount: Number(r.amount),
    shippingAmount: Number(r.shipping_amount),
    lines: JSON.parse(r.lines),
    customer: JSON.parse(r.customer),
    returnUrl: r.return_url,
    locale: r.locale,
    metadata: JSON.parse(r.metadata),
    status: r.status as Order['status'],
    paymentStatus: r.payment_status as Order['paymentStatus'],
    reviewStatus: r.review_status as Order['reviewStatus'],
    fiscalStatus: r.fiscal_status as Order['fiscalStatus'],
    deliveryStatus: r.delivery_status as Order['deliveryStatus'],
    contentHash: r.content_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function orderToRow(o: Order, keyHash: string, referenceNorm: string): Row<'orders'> {
  return {
    id: o.id,
    reference: o.reference,
    reference_norm: referenceNorm,
    currency: o.currency,
    original_amount: o.originalAmount,
    amount: o.amount,
    shipping_amount: o.shippingAmount,
    lines: JSON.stringify(o.lines),
    customer: JSON.stringify(o.customer),
    return_url: o.returnUrl,
    locale: o.locale,
    metadata: JSON.stringify(o.metadata),
    status: o.status,
    payment_status: o.paymentStatus,
    content_hash: o.contentHash,
    key_hash: keyHash,
    review_status: o.reviewStatus,
    fiscal_status: o.fiscalStatus,
    delivery_status: o.deliveryStatus,
    customer_email_norm: normalizeEmail(o.customer.email),
    customer_ip: o.customer.ip ?? null,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

/** The order's row, locked for the rest of the transaction. */
export async function lockOrderRow(ctx: RepoContext, id: string): Promise<Row<'orders'> | undefined> {
  const query = lockOrderQuery(ctx, id);
  const [r] = rowsOf(query, (await ctx.run(query)).rows);
  return r;
}

/** lockOrderRow's statement, not run: PostgreSQL's lockOrderState sends it with its state read. */
export function lockOrderQuery(ctx: RepoContext, id: string): CompiledQuery<Row<'orders'>> {
  return compiledRead(
    ctx,
    'lockOrderRow',
    (db, s) => {
      const q = db.selectFrom('orders').selectAll().where('id', '=', s(0));
      // SQLite has no row locks: BEGIN IMMEDIATE already holds the database's write lock.
      return ctx.dialect === 'postgres' ? q.forUpdate() : q;
    },
    [id],
  );
}

/** Orders; lockOrderState is order-state.ts's (it reads the order's other records too). */
export function orderRepo(ctx: RepoContext): OrderReads & Omit<OrderWrites, 'lockOrderState'> {
  return {
    async getOrder(id) {
      const [r] = await readCompiled(
        ctx,
        'getOrder',
        (db, s) => db.selectFrom('orders').selectAll().where('id', '=', s(0)),
        [id],
      );
      return r && orderFromRow(r);
    },

    async findOrderByReference(referenceNorm) {
      const r = await ctx.db
        .selectFrom('orders')
        .selectAll()
        .where('reference_norm', '=', referenceNorm)
        .executeTakeFirst();
      return r && orderFromRow(r);
    },

    async findOrderByKeyHash(keyHash) {
      const r = await ctx.db.selectFrom('orders').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
      return r && orderFromRow(r);
    },

    async listOrders(q) {
      let query = ctx.db.selectFrom('orders').selectAll();
      if (q.status) query = query.where('status', '=', q.status);
      if (q.paymentStatus) query = query.where('payment_status', '=', q.paymentStatus);
      if (q.deliveryStatus) query = query.where('delivery_status', '=', q.deliveryStatus);
      if (q.fiscalStatus) query = query.where('fiscal_status', '=', q.fiscalStatus);
      if (q.reviewStatus) query = query.where('review_status', '=', q.reviewStatus);
      if (q.createdFrom) query = query.where('created_at', '>=', q.createdFrom);
      if (q.createdTo) query = query.where('created_at', '<', q.createdTo);
      if (q.referenceNorm !== undefined) query = query.where('reference_norm', '=', q.referenceNorm);
      if (q.referencePrefix) {
        // A range, not LIKE: both stores use the unique index for it, and "%" or "_" in the
        // search stay literal.
        query = query
          .where('reference_norm', '>=', q.referencePrefix)
          .where('reference_norm', '<', `${q.referencePrefix}\uffff`);
      }
      const pm = q.paymentMethodId;
      if (pm) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('payment_attempts as a')
              .select('a.id')
              .whereRef('a.order_id', '=', 'orders.id')
              .where('a.payment_method_id', '=', pm),
          ),
        );
      }
      const sync = q.sync;
      if (sync) {
        // IN, not a correlated EXISTS: webhook messages pending or given up are few, so both stores
        // start from them (outbox_due_idx) and look their orders up by id. With EXISTS, SQLite
        // walked the orders newest first probing the outbox for each: 130 ms at a million orders
        // with 300 given up (bench/orders).
        query = query.where('orders.id', 'in', (eb) =>
          eb
            .selectFrom('outbox as m')
            .select('m.order_id')
            .where('m.topic', '=', 'webhook')
            .where('m.status', '=', sync)
            .$narrowType<{ order_id: string }>(),
        );
      }
      const before = q.before;
      if (before) query = query.where(sql<boolean>`(created_at, id) < (${before.createdAt}, ${before.id})`);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(orderFromRow);
    },

    async countOrdersSince(q) {
      if (!q.emailNorm && !q.ip) return 0;
      let query = ctx.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_at', '>=', q.since);
      if (q.emailNorm) query = query.where('customer_email_norm', '=', q.emailNorm);
      if (q.ip) query = query.where('customer_ip', '=', q.ip);
      const { n } = await query.executeTakeFirstOrThrow();
      return Number(n);
    },

    async findOrdersByReferences(referencesNorm) {
      if (referencesNorm.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('orders')
        .selectAll()
        .where('reference_norm', 'in', referencesNorm)
        .execute();
      return rows.map(orderFromRow);
    },

    async getOrders(ids) {
      if (ids.length === 0) return [];
      const rows = await ctx.db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
      return rows.map(orderFromRow);
    },

    async listOrdersChangedBetween(q) {
      // Keyset on (updated_at, id) as a row comparison, the index's order: each page is one index
      // range from where the last ended (an OR of the two columns made both stores rescan the day).
      let query = ctx.db.selectFrom('orders').selectAll().where('updated_at', '<', q.to);
      const after = q.after;
      query = after
        ? query.where((eb) => eb(eb.refTuple('updated_at', 'id'), '>', eb.tuple(after.updatedAt, after.id)))
        : query.where('updated_at', '>=', q.from);
      const rows = await query.orderBy('updated_at').orderBy('id').limit(q.limit).execute();
      return rows.map(orderFromRow);
    },

    async lockOrder(id) {
      const r = await lockOrderRow(ctx, id);
      if (!r) return undefined;
      // The timeline's end, read once under the lock so appendEvents needs no read of its own. Not
      // in the locking statement: on PostgreSQL a statement that waited for the lock still sees
      // the timeline as it was when it began, without what the lock's last holder appended.
      ctx.lastSeq.set(id, await readLastSeq(ctx, id));
      return orderFromRow(r);
    },

    async insertOrder(order, keyHash, referenceNorm) {
      const inserted = await insertUnlessConflict(ctx, 'orders', orderToRow(order, keyHash, referenceNorm), [
        'reference_norm',
      ]);
      // A new order has no timeline yet, and no one else sees it before this transaction commits.
      if (inserted) ctx.lastSeq.set(order.id, 0);
      return inserted;
    },

    async updateOrder(id, patch) {
      await ctx.write(
        'orders',
        'update',
        updateById(
          ctx,
          'orders',
          {
            status: patch.status,
            payment_status: patch.paymentStatus,
            review_status: patch.reviewStatus,
            fiscal_status: patch.fiscalStatus,
            delivery_status: patch.deliveryStatus,
            amount: patch.amount,
            lines: patch.lines === undefined ? undefined : JSON.stringify(patch.lines),
            updated_at: patch.updatedAt,
          },
          id,
        ),
      );
    },
  };
}
