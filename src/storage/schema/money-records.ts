export interface RefundsTable {
  id: string;
  order_id: string;
  attempt_id: string;
  amount: number;
  currency: string;
  reason: string;
  lines: string;
  actor: string;
  status: string;
  /** Of amount, what gives back money paid beyond the order's amount (Refund.surplusAmount). */
  surplus_amount: number;
  provider_ref: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChargebacksTable {
  id: string;
  order_id: string;
  attempt_id: string;
  amount: number;
  currency: string;
  reason_code: string;
  status: string;
  source: string;
  provider_ref: string | null;
  note: string | null;
  actor: string;
  created_at: string;
  updated_at: string;
}

export interface AdjustmentsTable {
  id: string;
  order_id: string;
  kind: string;
  lines: string;
  amount_delta: number;
  amount_before: number;
  amount_after: number;
  reason: string;
  actor: string;
  refund_id: string | null;
  created_at: string;
}
