export interface ShipmentsTable {
  id: string;
  order_id: string;
  lines: string;
  courier: string | null;
  courier_ref: string | null;
  status: string;
  proof: string | null;
  created_at: string;
  updated_at: string;
}
