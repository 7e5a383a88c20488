export interface CallbacksTable {
  id: string;
  payment_method_id: string;
  received_at: string;
  method: string;
  headers: string;
  query: string;
  body: string;
  verified: number;
  outcome: string;
  reason: string | null;
  provider_ref: string | null;
  provider_status: string | null;
  attempt_id: string | null;
  order_id: string | null;
}
