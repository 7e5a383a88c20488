export interface TasksTable {
  id: string;
  kind: string;
  reason: string;
  owner: string | null;
  status: string;
  resolution: string | null;
  order_id: string | null;
  attempt_id: string | null;
  /** "run id:line number" of the report line the task is about. */
  report_line: string | null;
  created_at: string;
  resolved_at: string | null;
}
