import type { TaskRecord } from '../../domain/task.js';

export interface TaskQuery {
  status?: TaskRecord['status'];
  kind?: string;
  owner?: string;
  /** Only tasks nobody owns. */
  unowned?: boolean;
  orderId?: string;
  /** Tasks raised by this reconciliation run. */
  runId?: string;
  /** Newest first instead of the queue's oldest first (a list of resolved tasks). */
  newestFirst?: boolean;
  limit?: number;
}

export interface TaskPatch {
  owner?: string | null;
  status?: TaskRecord['status'];
  resolution?: string | null;
  resolvedAt?: string | null;
}

/** The queue of work for people. */
export interface TaskReads {
  /** Oldest first (newest first when asked). */
  listTasks(q: TaskQuery): Promise<TaskRecord[]>;
  getTask(id: string): Promise<TaskRecord | undefined>;
  /** Open tasks by owner (null: nobody) and kind. */
  countOpenTasks(): Promise<{ owner: string | null; kind: string; count: number }[]>;
}

export interface TaskWrites {
  insertTasks(tasks: readonly TaskRecord[]): Promise<void>;
  updateTask(id: string, patch: TaskPatch): Promise<void>;
}
