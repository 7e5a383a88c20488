import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { CallStat } from './trace-storage.js';

/**
 * Times every SQL statement at the driver, in this process only: better-sqlite3's prepare and
 * run/all/get/iterate (synchronous, so the time is the database's own), and pg's Client#query
 * (the round trip to the server). Statements are grouped by shape: value lists collapse to "…".
 * Installed by a measuring child before it opens its storage; nothing in src/ changes.
 */
export interface StatementStat extends CallStat {
  /** Each call's time in order, while tracing; summarise() turns it into firstTenthMs/lastTenthMs. */
  durations?: number[];
  /** Mean time per call over the first and the last tenth of the calls: a query that slows down as the run goes on. */
  firstTenthMs?: number;
  lastTenthMs?: number;
}

export interface DriverTrace {
  statements: Record<string, StatementStat>;
  /** SQLite only: compiling statements (Kysely prepares each query anew). */
  prepare: CallStat;
}

/** A copy to hand back: per-call times reduced to the mean of the first and the last tenth of the calls. */
export function summariseDriverTrace(trace: DriverTrace): DriverTrace {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const statements: Record<string, StatementStat> = {};
  for (const [k, v] of Object.entries(trace.statements)) {
    const d = v.durations ?? [];
    const tenth = Math.max(1, Math.floor(d.length / 10));
    statements[k] = {
      calls: v.calls,
      ms: v.ms,
      firstTenthMs: mean(d.slice(0, tenth)),
      lastTenthMs: mean(d.slice(-tenth)),
    };
  }
  return { statements, prepare: { ...trace.prepare } };
}

/** Forgets what was counted so far. */
export function resetDriverTrace(trace: DriverTrace): void {
  for (const k of Object.keys(trace.statements)) delete trace.statements[k];
  trace.prepare = { calls: 0, ms: 0 };
}

const MAX_SHAPE = 140;

const shapes = new Map<string, string>();

export function statementShape(sql: string): string {
  let s = shapes.get(sql);
  if (s === undefined) {
    s = sql
      .replace(/\s+/g, ' ')
      .replace(/\$\d+/g, '?')
      .replace(/\(\?(?:, ?\?)*\)/g, '(…)')
      .replace(/\(…\)(?:, ?\(…\))+/g, '(…), …')
      .replace(/"/g, '')
      .trim();
    if (s.length > MAX_SHAPE) s = `${s.slice(0, MAX_SHAPE - 1)}…`;
    if (shapes.size < 10_000) shapes.set(sql, s);
  }
  return s;
}

export function installDriverTrace(): DriverTrace {
  const trace: DriverTrace = { statements: {}, prepare: { calls: 0, ms: 0 } };
  const add = (sql: string, ms: number) => {
    const stat = (trace.statements[statementShape(sql)] ??= { calls: 0, ms: 0, durations: [] });
    stat.calls += 1;
    stat.ms += ms;
    stat.durations?.push(ms);
  };

  // better-sqlite3: Statement's prototype, reached through a statement of a throwaway database.
  const probe = new SqliteDatabase(':memory:');
  const stmtProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  for (const name of ['run', 'all', 'get', 'iterate'] as const) {
    const orig = stmtProto[name] as (this: { source: string }, ...args: unknown[]) => unknown;
    stmtProto[name] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        add(this.source, performance.now() - t0);
      }
    };
  }
  const dbProto = SqliteDatabase.prototype as unknown as Record<string, unknown>;
  const prepare = dbProto.prepare as (this: unknown, ...args: unknown[]) => unknown;
  dbProto.prepare = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return prepare.apply(this, args);
    } finally {
      trace.prepare.calls += 1;
      trace.prepare.ms += performance.now() - t0;
    }
  };

  // pg: every pooled connection is a pg.Client.
  const clientProto = pg.Client.prototype as unknown as Record<string, unknown>;
  const query = clientProto.query as (this: unknown, ...args: unknown[]) => unknown;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '(cursor)');
    const t0 = performance.now();
    const r = query.apply(this, args);
    if (r instanceof Promise) return r.finally(() => add(text, performance.now() - t0));
    return r;
  };
  return trace;
}
