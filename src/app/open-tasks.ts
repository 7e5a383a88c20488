import type { Actor, NewTask } from '../domain/timeline.js';
import { taskOwners } from './settings.js';
import type { StorageTx } from '../ports/storage.js';
import type { TaskRecord } from '../domain/task.js';
import type { AppDeps } from './deps.js';

/**
 * Opens tasks inside the caller's transaction, owned as the owner rules say for their kind, and
 * puts a line on each order's timeline that links to its task.
 */
export async function openTasks(
  deps: AppDeps,
  tx: StorageTx,
  tasks: readonly NewTask[],
  at: string,
): Promise<TaskRecord[]> {
  if (tasks.length === 0) return [];
  const owners = await taskOwners(tx);
  const records: TaskRecord[] = tasks.map((t) => ({
    ...t,
    id: deps.random.id('task'),
    owner: owners[t.kind],
    status: 'open',
    resolution: null,
    createdAt: at,
    resolvedAt: null,
  }));
  await tx.insertTasks(records);
  for (const t of records) {
    if (!t.orderId) continue;
    await tx.appendEvents(t.orderId, at, [
      {
        kind: 'task.opened',
        actor: 'system',
        summary: `Task opened for ${t.owner}: ${t.reason}`,
        attemptId: t.attemptId ?? null,
        taskKind: t.kind,
        taskId: t.id,
        data: { reason: t.reason },
      },
    ]);
  }
  return records;
}

/** Resolves tasks a use case settled by itself (a review decided, a manual refund confirmed), each with its timeline line. */
export async function resolveTasksInTx(
  tx: StorageTx,
  tasks: readonly TaskRecord[],
  note: string,
  actor: Actor,
  at: string,
): Promise<void> {
  for (const t of tasks.filter((t) => t.status === 'open')) {
    await tx.updateTask(t.id, { status: 'resolved', resolution: note, resolvedAt: at });
    if (t.orderId) {
      await tx.appendEvents(t.orderId, at, [
        {
          kind: 'task.resolved',
          actor,
          summary: `Task (${t.kind}) resolved: ${note}`,
          attemptId: t.attemptId ?? null,
          taskKind: t.kind,
          taskId: t.id,
        },
      ]);
    }
  }
}
