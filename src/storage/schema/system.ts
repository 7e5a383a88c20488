export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface IdempotencyKeysTable {
  scope_key: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}
