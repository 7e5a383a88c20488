export interface ReconciliationRunsTable {
  id: string;
  payment_method_id: string;
  report_date: string;
  file_name: string;
  file_hash: string;
  via: string;
  actor: string;
  status: string;
  error: string | null;
  summary: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface ReportLinesTable {
  run_id: string;
  line_no: number;
  provider_ref: string | null;
  order_reference: string | null;
  type: string | null;
  amount: number | null;
  currency: string | null;
  status: string | null;
  at: string | null;
  fee: number | null;
  dup_key: string | null;
  outcome: string;
  kind: string | null;
  record_id: string | null;
  order_id: string | null;
  message: string | null;
}
