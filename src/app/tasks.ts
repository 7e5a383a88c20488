import { fail, ok, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';
import type { TaskQuery } from '../ports/storage.js';
import type { TaskRecord } from '../domain/task.js';
import { nowIso, type AppDeps } from './deps.js';
import { completeIfDone } from './complete-order.js';

export async function listTasks(deps: AppDeps, q: TaskQuery): Promise<TaskRecord[]> {
  return deps.storage.read.listTasks(q);
}

/** Gives a task to a person or a role; the order's timeline says who took it. */
export async function assignTask(
  deps: AppDeps,
  input: { taskId: string; owner: string },
  actor: Actor,
): Promise<Result<TaskRecord>> {
  const owner = input.owner.trim();
  if (!owner) return fail('invalid_request', 'Name who the task goes to: a person or a role.');
  return changeTask(deps, input.taskId, actor, (task) => ({
    patch: { owner },
    summary: `Task (${task.kind}) assigned to ${owner}.`,
    kind: 'task.assigned',
  }));
}

/** Closes a task with a note saying what was done; a resolved task stays resolved. */
export async function resolveTask(
  deps: AppDeps,
  input: { taskId: string; note: string },
  actor: Actor,
): Promise<Result<TaskRecord>> {
  const at = nowIso(deps);
  // A resolution without a word on what was done helps nobody later: the note is required.
  const note = input.note.trim();
  if (!note) return fail('invalid_request', 'Say what was done: a resolution note is required.');
  return changeTask(deps, input.taskId, actor, (task) => ({
    patch: { status: 'resolved', resolution: note, resolvedAt: at },
    summary: `Task (${task.kind}) resolved: ${note}`,
    kind: 'task.resolved',
  }));
}

async function changeTask(
  deps: AppDeps,
  taskId: string,
  actor: Actor,
  change: (t: TaskRecord) => {
    patch: Partial<Pick<TaskRecord, 'owner' | 'status' | 'resolution' | 'resolvedAt'>>;
    summary: string;
    kind: string;
  },
): Promise<Result<TaskRecord>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const found = await tx.getTask(taskId);
    if (!found) return fail('task_not_found', `There is no task ${taskId}.`);
    // Lock through the order when there is one, so two people acting at once are serialised.
    if (found.orderId) await tx.lockOrder(found.orderId);
    const task = (await tx.getTask(taskId))!;
    if (task.status === 'resolved') return fail('task_resolved', `Task ${taskId} is already resolved.`);
    const { patch, summary, kind } = change(task);
    await tx.updateTask(task.id, patch);
    if (task.orderId)
      await tx.appendEvents(task.orderId, at, [
        { kind, actor, summary, attemptId: task.attemptId ?? null, taskKind: task.kind, taskId: task.id },
      ]);
    // The last open task resolved may be all a delivered order waited for.
    if (task.orderId && patch.status === 'resolved') await completeIfDone(deps, tx, task.orderId, actor, at);
    return ok({ ...task, ...patch });
  });
}
