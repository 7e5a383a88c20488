import type { TaskRecord } from '../../domain/task.js';
import type { TaskReads, TaskWrites } from '../../ports/storage/tasks.js';
import type { RepoContext, Row } from './context.js';

export function taskFromRow(r: Row<'tasks'>): TaskRecord {
  return {
    id: r.id,
    kind: r.kind as TaskRecord['kind'],
    reason: r.reason,
    owner: r.owner,
    status: r.status as TaskRecord['status'],
    resolution: r.resolution,
    orderId: r.order_id,
    attemptId: r.attempt_id,
    reportLine: r.report_line,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}

export function taskRepo(ctx: RepoContext): TaskReads & TaskWrites {
  return {
    async listTasks(q) {
      let query = ctx.db.selectFrom('tasks').selectAll();
      if (q.orderId) query = query.where('order_id', '=', q.orderId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.owner) query = query.where('owner', '=', q.owner);
      if (q.unowned) query = query.where('owner', 'is', null);
      // Tasks name their line as "run:line"; a range on that prefix uses the index.
      if (q.runId) query = query.where('report_line', '>=', `${q.runId}:`).where('report_line', '<', `${q.runId};`);
      const dir = q.newestFirst ? 'desc' : 'asc';
      const rows = await query
        .orderBy('created_at', dir)
        .orderBy('id', dir)
        .limit(q.limit ?? 1000)
        .execute();
      return rows.map(taskFromRow);
    },

    async getTask(id) {
      const r = await ctx.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return r && taskFromRow(r);
    },

    async countOpenTasks() {
      const rows = await ctx.db
        .selectFrom('tasks')
        .select(['owner', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .groupBy(['owner', 'kind'])
        .execute();
      return rows.map((r) => ({ owner: r.owner, kind: r.kind, count: Number(r.n) }));
    },

    async insertTasks(tasks) {
      if (tasks.length === 0) return;
      await ctx.write(
        'tasks',
        'insert',
        ctx.db.insertInto('tasks').values(
          tasks.map((t) => ({
            id: t.id,
            kind: t.kind,
            reason: t.reason,
            owner: t.owner,
            status: t.status,
            resolution: t.resolution,
            order_id: t.orderId || null,
            attempt_id: t.attemptId ?? null,
            report_line: t.reportLine ?? null,
            created_at: t.createdAt,
            resolved_at: t.resolvedAt,
          })),
        ),
      );
    },

    async updateTask(id, p) {
      await ctx.db
        .updateTable('tasks')
        .set({
          ...(p.owner !== undefined && { owner: p.owner }),
          ...(p.status !== undefined && { status: p.status }),
          ...(p.resolution !== undefined && { resolution: p.resolution }),
          ...(p.resolvedAt !== undefined && { resolved_at: p.resolvedAt }),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
