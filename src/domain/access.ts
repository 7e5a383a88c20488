import type { Role } from './roles.js';

/** store: the shop's calls; accounting: reconciliation; admin: everything. */
export type Scope = 'store' | 'accounting' | 'admin';

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  /** The first characters of the key, to tell keys apart in lists. */
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

/** A person who signs in to the admin pages. */
export interface UserRecord {
  id: string;
  email: string;
  emailNorm: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

/** A signed-in browser: found by the hash of its cookie, with its own CSRF secret. */
export interface SessionRecord {
  tokenHash: string;
  userId: string;
  csrfSecret: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}
