import type { ApiKeyRecord, SessionRecord, UserRecord } from '../../domain/access.js';
import type { Role } from '../../domain/roles.js';

export interface UserPatch {
  role?: Role;
  passwordHash?: string;
  disabledAt?: string | null;
}

export interface SignInAttempt {
  id: string;
  emailNorm: string;
  ip: string;
  succeeded: boolean;
  at: string;
}

/** API keys, admin users, their sessions and sign-in attempts. */
export interface AccessReads {
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByEmail(emailNorm: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  /** Failed sign-ins since an instant, by e-mail and by address. */
  countSignInFailures(q: { emailNorm: string; ip: string; since: string }): Promise<{ byEmail: number; byIp: number }>;
}

export interface AccessWrites {
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  revokeApiKey(id: string, at: string): Promise<void>;
  insertUser(user: UserRecord): Promise<boolean>;
  updateUser(id: string, patch: UserPatch): Promise<void>;
  insertSession(session: SessionRecord): Promise<void>;
  touchSession(tokenHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  insertSignInAttempt(a: SignInAttempt): Promise<void>;
}
