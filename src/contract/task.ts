import type { TaskRecord } from '../domain/task.js';
import { dateTime, nullable, str, type Wire } from './fields.js';

export const taskSchema = {
  type: 'object',
  properties: {
    id: str,
    kind: str,
    reason: str,
    owner: nullable(str),
    status: { type: 'string', enum: ['open', 'resolved'] },
    resolution: nullable(str),
    order_id: nullable(str),
    payment_id: nullable(str),
    report_line: nullable({
      type: 'string',
      description: 'run id:line number of the report line a reconciliation task is about',
    }),
    created_at: dateTime,
    resolved_at: nullable(dateTime),
  },
} as const;

export type TaskView = Wire<typeof taskSchema>;

export function taskView(t: TaskRecord): TaskView {
  return {
    id: t.id,
    kind: t.kind,
    reason: t.reason,
    owner: t.owner,
    status: t.status,
    resolution: t.resolution,
    order_id: t.orderId,
    payment_id: t.attemptId ?? null,
    report_line: t.reportLine ?? null,
    created_at: t.createdAt,
    resolved_at: t.resolvedAt,
  };
}
