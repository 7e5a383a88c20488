import type { IdempotencyRecord } from '../../domain/idempotency.js';

/** Settings, job leases, idempotency keys, and the pruning of short-lived rows. */
export interface SystemReads {
  getSetting(key: string): Promise<unknown>;
  getIdempotency(scopeKey: string): Promise<IdempotencyRecord | undefined>;
}

export interface SystemWrites {
  putSetting(key: string, value: unknown, at: string): Promise<void>;
  /** Takes the named lease unless another holder has one that has not expired. */
  takeLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  /** Claims the idempotency key; false when it is already claimed. */
  claimIdempotency(rec: IdempotencyRecord): Promise<boolean>;
  completeIdempotency(scopeKey: string, status: number, body: string): Promise<void>;
  releaseIdempotency(scopeKey: string): Promise<void>;
  /** Drops sign-in attempts, sessions and admin forms' one-time ids older than the instant (the janitor keeps the tables small). */
  pruneSignIns(before: string): Promise<void>;
  /** Drops up to `limit` idempotency keys created before `before`, oldest first; returns how many. */
  pruneIdempotencyKeys(before: string, limit: number): Promise<number>;
}
