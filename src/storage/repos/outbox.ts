import { sql } from 'kysely';
import type { OutboxMessage } from '../../domain/outbox.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { OutboxReads, OutboxWrites } from '../../ports/storage/outbox.js';
import type { RepoContext, Row } from './context.js';
import { insertRows } from './compiled-writes.js';
import { readCompiled } from './compiled-reads.js';

export function outboxFromRow(r: Row<'outbox'>): OutboxMessage {
  return {
    id: r.id,
    topic: r.topic as OutboxMessage['topic'],
    eventType: r.event_type,
    orderId: r.order_id,
    orderSeq: Number(r.order_seq),
    target: r.target,
    payload: JSON.parse(r.payload),
    status: r.status as OutboxMessage['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    requestId: r.request_id ?? null,
    queuedAt: r.queued_at ?? r.created_at,
  };
}

export function webhookEndpointFromRow(r: Row<'webhook_endpoints'>): WebhookEndpointRecord {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events),
    secretCiphertext: r.secret,
    statusMapPreset: r.status_map_preset,
    statusMap: JSON.parse(r.status_map),
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function outboxRepo(ctx: RepoContext): OutboxReads & OutboxWrites {
  return {
    async outboxSummary() {
      // Pending and failed messages only: both are short lists in a healthy system, found through
      // outbox_due_idx (status, next_attempt_at). Delivered messages, the bulk, are never counted.
      const rows = await ctx.db
        .selectFrom('outbox')
        .select([
          'status',
          'topic',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.min('queued_at').as('oldest'),
        ])
        .where('status', 'in', ['pending', 'failed'])
        .groupBy(['status', 'topic'])
        .execute();
      return rows.map((r) => ({
        status: r.status as 'pending' | 'failed',
        topic: r.topic as OutboxMessage['topic'],
        count: Number(r.n),
        oldestQueuedAt: r.oldest === null ? null : String(r.oldest),
      }));
    },

    async listOutbox(q) {
      let query = ctx.db.selectFrom('outbox').selectAll();
      if (q.status) query = query.where('status', '=', q.status);
      if (q.topic) query = query.where('topic', '=', q.topic);
      if (q.orderId) query = query.where('order_id', '=', q.orderId);
      if (q.target) query = query.where('target', '=', q.target);
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('order_seq', 'desc')
        .orderBy('position', 'desc')
        .limit(q.limit)
        .execute();
      return rows.map(outboxFromRow);
    },

    async getOutbox(id) {
      const r = await ctx.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return r && outboxFromRow(r);
    },

    async listWebhookEndpoints() {
      const rows = await readCompiled(
        ctx,
        'listWebhookEndpoints',
        (db) => db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id'),
        [],
      );
      return rows.map(webhookEndpointFromRow);
    },

    async getWebhookEndpoint(id) {
      const r = await ctx.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return r && webhookEndpointFromRow(r);
    },

    async insertOutbox(messages) {
      if (messages.length === 0) return;
      await ctx.write(
        'outbox',
        'insert',
        insertRows(
          ctx,
          'outbox',
          messages.map((m, i) => ({
            id: m.id,
            topic: m.topic,
            event_type: m.eventType,
            order_id: m.orderId,
            order_seq: m.orderSeq,
            position: i,
            target: m.target,
            payload: JSON.stringify(m.payload),
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.nextAttemptAt,
            last_error: m.lastError,
            locked_by: null,
            locked_until: null,
            created_at: m.createdAt,
            delivered_at: m.deliveredAt,
            request_id: m.requestId,
            queued_at: m.queuedAt,
          })),
        ),
      );
    },

    async claimOutbox(q) {
      let due = ctx.db
        .selectFrom('outbox as o')
        .select('o.id')
        .where('o.status', '=', 'pending')
        .where('o.next_attempt_at', '<=', q.now)
        .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', q.now)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('outbox as p')
                .select('p.id')
                .whereRef('p.order_id', '=', 'o.order_id')
                .whereRef('p.target', '=', 'o.target')
                .where('p.status', '=', 'pending')
                .where((b) =>
                  b.or([
                    b('p.order_seq', '<', b.ref('o.order_seq')),
                    b.and([b('p.order_seq', '=', b.ref('o.order_seq')), b('p.position', '<', b.ref('o.position'))]),
                  ]),
                ),
            ),
          ),
        )
        .orderBy('o.next_attempt_at')
        .limit(q.limit);
      // Several workers on PostgreSQL: each skips the rows another is claiming right now. On
      // SQLite the transaction's write lock already keeps other workers out.
      if (ctx.dialect === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await ctx.db
        .updateTable('outbox')
        .set({ locked_by: q.holder, locked_until: q.leaseUntil, attempts: sql<number>`attempts + 1` })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows
        .map(outboxFromRow)
        .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.orderSeq - b.orderSeq);
    },

    async updateOutbox(id, p) {
      await ctx.db
        .updateTable('outbox')
        .set({
          ...(p.status !== undefined && { status: p.status }),
          ...(p.nextAttemptAt !== undefined && { next_attempt_at: p.nextAttemptAt }),
          ...(p.lastError !== undefined && { last_error: p.lastError }),
          ...(p.deliveredAt !== undefined && { delivered_at: p.deliveredAt }),
          ...(p.attempts !== undefined && { attempts: p.attempts }),
          ...(p.queuedAt !== undefined && { queued_at: p.queuedAt }),
          ...(p.release && { locked_by: null, locked_until: null }),
        })
        .where('id', '=', id)
        .execute();
    },

    async insertWebhookEndpoint(e) {
      await ctx.db
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          url: e.url,
          events: JSON.stringify(e.events),
          secret: e.secretCiphertext,
          status_map_preset: e.statusMapPreset,
          status_map: JSON.stringify(e.statusMap),
          enabled: e.enabled ? 1 : 0,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
        })
        .execute();
    },

    async updateWebhookEndpoint(id, p) {
      await ctx.db
        .updateTable('webhook_endpoints')
        .set({
          ...(p.enabled !== undefined && { enabled: p.enabled ? 1 : 0 }),
          ...(p.events !== undefined && { events: JSON.stringify(p.events) }),
          ...(p.statusMapPreset !== undefined && { status_map_preset: p.statusMapPreset }),
          ...(p.statusMap !== undefined && { status_map: JSON.stringify(p.statusMap) }),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
