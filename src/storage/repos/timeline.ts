import type { OrderEvent } from '../../domain/timeline.js';
import type { TimelineReads, TimelineWrites } from '../../ports/storage/timeline.js';
import type { RepoContext, Row } from './context.js';
import { insertRows } from './compiled-writes.js';
import { readCompiled } from './compiled-reads.js';

export function eventFromRow(r: Row<'order_events'>): OrderEvent {
  return {
    orderId: r.order_id,
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind,
    actor: r.actor as OrderEvent['actor'],
    summary: r.summary,
    attemptId: r.attempt_id,
    taskKind: r.task_kind,
    taskId: r.task_id,
    data: JSON.parse(r.data),
  };
}

/** The order's last timeline seq (0 for none). */
export async function readLastSeq(ctx: RepoContext, orderId: string): Promise<number> {
  const [r] = await readCompiled(
    ctx,
    'readLastSeq',
    (db, s) =>
      db
        .selectFrom('order_events')
        .select((eb) => eb.fn.max('seq').as('last'))
        .where('order_id', '=', s(0)),
    [orderId],
  );
  return Number(r?.last ?? 0);
}

export function timelineRepo(ctx: RepoContext): TimelineReads & TimelineWrites {
  return {
    async listEvents(orderId) {
      const rows = await ctx.db
        .selectFrom('order_events')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('seq')
        .execute();
      return rows.map(eventFromRow);
    },

    async appendEvents(orderId, at, events) {
      if (events.length === 0) return [];
      // Safe without a sequence: every append runs under the order's lock.
      let start = ctx.lastSeq.get(orderId);
      if (start === undefined) {
        await ctx.flush();
        start = await readLastSeq(ctx, orderId);
      }
      ctx.lastSeq.set(orderId, start + events.length);
      const rows = events.map((e, i) => ({
        order_id: orderId,
        seq: start + i + 1,
        at,
        kind: e.kind,
        actor: e.actor,
        summary: e.summary,
        attempt_id: e.attemptId ?? null,
        task_kind: e.taskKind ?? null,
        task_id: e.taskId ?? null,
        data: JSON.stringify(e.data ?? {}),
      }));
      await ctx.write('order_events', 'insert', insertRows(ctx, 'order_events', rows));
      return rows.map(eventFromRow);
    },
  };
}
