import { performance } from 'node:perf_hooks';
import type { Storage } from '../../src/ports/storage.js';

export interface CallStat {
  calls: number;
  ms: number;
  /** When the first call started, in ms since the trace was made (storage calls only). */
  firstAt?: number;
}

export interface StorageTrace {
  /** storage.transaction: how many, and their wall time (the work inside included). */
  transactions: CallStat;
  /** Every storage method called, as "read.name" (outside a transaction) or "tx.name" (inside one). */
  methods: Record<string, CallStat>;
}

/**
 * Wraps a Storage so that every call through the port is counted and timed: where an app
 * function spends its time between its own code and the database. Costs two clock reads (and
 * `onCall`, e.g. a memory probe) per call. Times of calls that overlap (PostgreSQL, or SQLite's
 * one connection queueing the calls of a Promise.all) add up to more than the wall time.
 */
export function traceStorage(
  storage: Storage,
  onCall?: () => void,
): { storage: Storage; trace: StorageTrace; reset(): void } {
  const trace: StorageTrace = { transactions: { calls: 0, ms: 0 }, methods: {} };
  let origin = performance.now();
  const add = (stat: CallStat, ms: number) => {
    stat.calls += 1;
    stat.ms += ms;
  };
  const methodStat = (name: string): CallStat => (trace.methods[name] ??= { calls: 0, ms: 0 });

  const wrapRepo = <T extends object>(repo: T, prefix: string): T => {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(repo, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof v !== 'function' || typeof prop !== 'string') return v;
        let w = cache.get(prop);
        if (!w) {
          const name = `${prefix}.${prop}`;
          w = (...args: unknown[]) => {
            const stat = methodStat(name);
            onCall?.();
            const t0 = performance.now();
            stat.firstAt ??= t0 - origin;
            const r = (v as (...a: unknown[]) => unknown).apply(target, args);
            if (r instanceof Promise) {
              return r.finally(() => {
                add(stat, performance.now() - t0);
                onCall?.();
              });
            }
            add(stat, performance.now() - t0);
            return r;
          };
          cache.set(prop, w);
        }
        return w;
      },
    });
  };

  const read = wrapRepo(storage.read, 'read');
  const wrapped = new Proxy(storage, {
    get(target, prop) {
      if (prop === 'read') return read;
      if (prop === 'transaction') {
        return async <R>(fn: (tx: Parameters<Parameters<Storage['transaction']>[0]>[0]) => Promise<R>): Promise<R> => {
          const t0 = performance.now();
          try {
            return await target.transaction((tx) => fn(wrapRepo(tx, 'tx')));
          } finally {
            add(trace.transactions, performance.now() - t0);
          }
        };
      }
      return Reflect.get(target, prop, target);
    },
  });
  return {
    storage: wrapped,
    trace,
    /** Forgets what was counted so far and restarts the clock of firstAt. */
    reset() {
      trace.transactions = { calls: 0, ms: 0 };
      for (const k of Object.keys(trace.methods)) delete trace.methods[k];
      origin = performance.now();
    },
  };
}
