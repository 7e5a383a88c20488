export interface ReceiptsTable {
  id: string;
  order_id: string;
  kind: string;
  attempt_id: string | null;
  refund_id: string | null;
  amount: number;
  currency: string;
  items: string;
  status: string;
  provider_ref: string | null;
  fiscal_number: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}
