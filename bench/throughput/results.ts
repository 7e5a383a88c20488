import type { ProfileSummary } from '../support/cpu-profile.js';
import type { Stalls } from './server.js';
import type { DriverTrace } from '../support/trace-driver.js';
import type { LoadResult } from './load.js';
import type { PgbenchResult } from './pgbench.js';
import type { PlainSqliteResult } from './plain-sqlite.js';

/** Connection counts, for Settle, pgbench and the bare route alike. */
export const LEVELS = [1, 8, 64] as const;
/** Connection counts of the scale-out runs (one and two server processes on one PostgreSQL). */
export const SCALE_OUT_LEVELS = [8, 64] as const;
/** pgbench: scale. */
export const PGBENCH_SCALE = 10;
/**
 * Unmeasured seconds of load at 8 connections each new server process gets before its first
 * run: V8 compiles a fresh process's hot code over its first thousands of requests (in a quick
 * run --trace-opt counted about 900 optimised compiles before a PostgreSQL server's first run
 * ended and 300 more within its 8-connection run), on a background thread whose CPU the
 * process's time includes. A server that has been up a while has done that once; the runs
 * measure a warm one. The reference routes' servers get the same.
 */
export const PROCESS_WARMUP_SECONDS = 6;

/** One measured run of Settle. */
export interface SettleRun {
  load: LoadResult;
  /** Settle server processes' CPU time (all of them) per 2xx answer, ms. */
  serverCpuMs: number;
  check: string;
  checkOk: boolean;
  /** BENCH_PROFILE=1: the SQL the server ran during the run, timed at the driver. */
  trace: DriverTrace | null;
  /** The (first) server's event-loop delay and GC pauses during the run. */
  stalls: Stalls;
}

/** Callbacks through `processes` server processes on one database. */
export interface ScaleOutRun extends SettleRun {
  processes: number;
}

export interface StoreResults {
  version: string;
  pgbenchVersion: string | null;
  pgbench: PgbenchResult[] | null;
  /** The TPC-B route (PostgreSQL only). */
  tpcb: LoadResult[] | null;
  /** Plain better-sqlite3 transactions of a callback's size (SQLite only). */
  plain: PlainSqliteResult | null;
  bare: LoadResult[];
  callbacks: SettleRun[];
  callbacksHalf: SettleRun;
  /** PostgreSQL only: callbacks with one and with two server processes. */
  scaleOut: ScaleOutRun[] | null;
  orders: SettleRun[];
  ordersHalf: SettleRun;
  profiles: { callbacks: ProfileSummary | null; orders: ProfileSummary | null };
  notes: string[];
}
