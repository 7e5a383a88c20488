export interface PaymentLinksTable {
  id: string;
  order_id: string;
  token_hash: string;
  amount: number;
  currency: string;
  payment_method_id: string;
  status: string;
  expires_at: string;
  actor: string;
  reason: string;
  attempt_id: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}
