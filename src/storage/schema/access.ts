export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  email_norm: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface AdminSessionsTable {
  token_hash: string;
  user_id: string;
  csrf_secret: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface SignInAttemptsTable {
  id: string;
  email_norm: string;
  ip: string;
  succeeded: number;
  at: string;
}
