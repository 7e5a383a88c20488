export interface OutboxTable {
  id: string;
  topic: string;
  event_type: string;
  order_id: string | null;
  order_seq: number;
  position: number;
  target: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  delivered_at: string | null;
  request_id: string | null;
  /** Null only on rows delivered before migration 0009 and never put back (read as created_at). */
  queued_at: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  events: string;
  secret: string;
  status_map_preset: string | null;
  status_map: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}
