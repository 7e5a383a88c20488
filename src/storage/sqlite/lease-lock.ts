import { randomUUID } from 'node:crypto';
import type { StorageTx } from '../../ports/storage.js';

// A short lease renewed while the job runs: a holder that was killed frees the job within a
// lease, not after the longest a job might take.
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

type Transaction = <T>(fn: (tx: StorageTx) => Promise<T>) => Promise<T>;

/**
 * SQLite's "one process runs this job": a lease row (job_leases) that expires if its holder dies,
 * as SQLite has no advisory locks and several processes may share the file.
 */
export function leaseExclusive(transaction: Transaction) {
  const take = (name: string, holder: string) => transaction((tx) => tx.takeLease(name, holder, new Date(), LEASE_MS));
  return async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    const holder = randomUUID();
    if (!(await take(name, holder))) return undefined;
    const renew = setInterval(() => void take(name, holder).catch(() => undefined), RENEW_MS);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await transaction((tx) => tx.releaseLease(name, holder));
    }
  };
}
