export interface PaymentAttemptsTable {
  id: string;
  order_id: string;
  number: number;
  payment_method_id: string;
  connector: string;
  amount: number;
  currency: string;
  provider_ref: string;
  provider_ref_norm: string;
  next_step: string | null;
  /** The provider's own id for the payment, when it assigns one. */
  provider_payment_id: string | null;
  /** When the janitor last asked the provider about it (open attempts only). */
  checked_at: string | null;
  status: string;
  verified_by: string | null;
  provider_status: string | null;
  error_code: string | null;
  /** The pay-by-link it was started through, if any. */
  payment_link_id: string | null;
  created_at: string;
  updated_at: string;
}

/** The last integer reference handed out under a name (a provider's OrderID range). */
export interface ReferenceCountersTable {
  name: string;
  last_value: number;
  updated_at: string;
}
