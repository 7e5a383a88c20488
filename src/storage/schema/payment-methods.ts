export interface PaymentMethodsTable {
  id: string;
  name: string;
  connector: string;
  settings: string;
  secrets: string;
  currencies: string | null;
  min_amount: number | null;
  max_amount: number | null;
  enabled: number;
  auto_approve: number;
  auto_refund_surplus: number;
  created_at: string;
  report_mapping: string | null;
}
