export interface ProviderOperationsTable {
  id: string;
  kind: string;
  order_id: string;
  attempt_id: string;
  status: string;
  actor: string;
  reason: string | null;
  error: string | null;
  tries: number;
  created_at: string;
  updated_at: string;
}
