export interface OrderEventsTable {
  order_id: string;
  seq: number;
  at: string;
  kind: string;
  actor: string;
  summary: string;
  attempt_id: string | null;
  task_kind: string | null;
  task_id: string | null;
  data: string;
}
