import { normalizeEmail } from '../../domain/review.js';
import type { Role } from '../../domain/roles.js';
import type { TaskQuery } from '../../ports/storage.js';
import type { TaskRecord } from '../../domain/task.js';
import type { AppDeps } from '../deps.js';
import { listTasks } from '../tasks.js';
import { orderReferences } from './admin-orders.js';

// What the admin task pages read. Committed data only; nothing here writes.

/** The person looking: people own tasks by their normalised e-mail, or through their role. */
export interface Looker {
  emailNorm: string;
  role: Role;
}

export interface OpenTaskCount {
  total: number;
  /** Owned by this person or their role. */
  mine: number;
}

/** Open tasks, all and this person's (owned by them or by their role): the count on every page. */
export async function openTaskCount(deps: AppDeps, who: Looker): Promise<OpenTaskCount> {
  let total = 0;
  let mine = 0;
  for (const g of await deps.storage.read.countOpenTasks()) {
    total += g.count;
    if (g.owner === who.emailNorm || g.owner === who.role) mine += g.count;
  }
  return { total, mine };
}

/** What the queue is narrowed by. */
export interface TaskFilters {
  status: 'open' | 'resolved' | 'any';
  /** "mine", "unowned", a role, an e-mail or another owner as stored; "" for anyone. */
  owner: string;
  kind: string;
  order_id: string;
  run_id: string;
}

/** People own tasks by their normalised e-mail (the count on every page compares with it). */
const ownerValue = (owner: string): string => (owner.includes('@') ? (normalizeEmail(owner) ?? owner) : owner);

/** The tasks the filters name, at most `limit`: "mine" is what I own or my role owns, merged in queue order. */
async function findTasks(deps: AppDeps, who: Looker, f: TaskFilters, limit: number): Promise<TaskRecord[]> {
  const newestFirst = f.status !== 'open';
  const base: TaskQuery = {
    ...(f.status !== 'any' && { status: f.status }),
    ...(f.kind && { kind: f.kind }),
    ...(f.order_id && { orderId: f.order_id }),
    ...(f.run_id && { runId: f.run_id }),
    newestFirst,
    limit,
  };
  if (f.owner === 'unowned') return listTasks(deps, { ...base, unowned: true });
  if (f.owner !== 'mine') return listTasks(deps, f.owner ? { ...base, owner: ownerValue(f.owner) } : base);
  const both = (
    await Promise.all([
      listTasks(deps, { ...base, owner: who.emailNorm }),
      listTasks(deps, { ...base, owner: who.role }),
    ])
  ).flat();
  const key = (t: TaskRecord) => `${t.createdAt} ${t.id}`;
  both.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (newestFirst ? -1 : 1));
  return both.slice(0, limit);
}

/** The task queue: the tasks the filters name, the open tasks counted by owner and kind, and their orders' references. */
export async function taskQueue(deps: AppDeps, who: Looker, f: TaskFilters, limit: number) {
  const [tasks, counts] = await Promise.all([findTasks(deps, who, f, limit), deps.storage.read.countOpenTasks()]);
  const refs = await orderReferences(
    deps,
    tasks.map((t) => t.orderId),
  );
  return { tasks, counts, refs };
}

/** One task and its order's reference; undefined when there is no such task. */
export async function taskPage(
  deps: AppDeps,
  id: string,
): Promise<{ task: TaskRecord; refs: Map<string, string> } | undefined> {
  const task = await deps.storage.read.getTask(id);
  return task && { task, refs: await orderReferences(deps, [task.orderId]) };
}

/** Whether someone with this (normalised) e-mail can sign in: only they may be given a task by address. */
export async function isUser(deps: AppDeps, emailNorm: string): Promise<boolean> {
  return (await deps.storage.read.findUserByEmail(emailNorm)) !== undefined;
}
