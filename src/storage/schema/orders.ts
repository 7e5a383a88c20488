export interface OrdersTable {
  id: string;
  reference: string;
  reference_norm: string;
  currency: string;
  original_amount: number;
  amount: number;
  shipping_amount: number;
  lines: string;
  customer: string;
  return_url: string | null;
  locale: string | null;
  metadata: string;
  status: string;
  payment_status: string;
  content_hash: string;
  key_hash: string;
  review_status: string;
  fiscal_status: string;
  delivery_status: string;
  customer_email_norm: string | null;
  customer_ip: string | null;
  created_at: string;
  updated_at: string;
}
