import type autocannon from 'autocannon';
import { int } from '../support/format.js';
import { ms } from '../support/http-latency.js';
import { callbackBody } from './data.js';
import { runLoad, type LoadResult } from './load.js';
import { measurePgbench, type PgbenchResult } from './pgbench.js';
import { LEVELS, PGBENCH_SCALE } from './results.js';
import { startServerProcess } from './server.js';

/**
 * One route of a reference server (`bare`: POST /ping; `tpcb`: pgbench's transaction) under
 * autocannon at each connection count, a second's warm-up before each, with a callback-sized body;
 * the new process first gets `warmup` seconds at 8 connections, as Settle's do (PROCESS_WARMUP_SECONDS).
 */
async function routeRuns(
  kind: 'bare' | 'tpcb',
  opts: { seconds: number; warmup: number; log: (m: string) => void; databaseUrl?: string },
): Promise<LoadResult[]> {
  const server = await startServerProcess(kind, {
    ...(opts.databaseUrl && { databaseUrl: opts.databaseUrl }),
    ...(kind === 'tpcb' && { tpcbScale: PGBENCH_SCALE }),
  });
  const out: LoadResult[] = [];
  try {
    const path = kind === 'bare' ? '/ping' : '/tpcb';
    const requests: autocannon.Request[] = [
      { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: callbackBody(0) },
    ];
    await runLoad({ url: server.url, connections: 8, duration: opts.warmup, requests });
    for (const c of LEVELS) {
      await runLoad({ url: server.url, connections: c, duration: 1, requests });
      const r = await runLoad({ url: server.url, connections: c, duration: opts.seconds, requests });
      opts.log(
        `${kind === 'bare' ? 'bare route' : 'TPC-B route'}, ${c} connections: ${int(r.rate)}/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
      );
      out.push(r);
    }
  } finally {
    await server.close();
  }
  return out;
}

/** The bare route: a Fastify server with one route answering small JSON. */
export const measureBareRoute = (opts: { seconds: number; warmup: number; log: (m: string) => void }) =>
  routeRuns('bare', opts);

/** pgbench on the same PostgreSQL, then the TPC-B route on pgbench's database before it is dropped. */
export async function measurePgReferences(opts: {
  pgbenchSeconds: number;
  routeSeconds: number;
  warmup: number;
  log: (m: string) => void;
}): Promise<{ pgbench: PgbenchResult[]; pgbenchVersion: string; tpcb: LoadResult[] }> {
  const r = await measurePgbench(process.env.DATABASE_URL!, {
    connections: LEVELS,
    seconds: opts.pgbenchSeconds,
    scale: PGBENCH_SCALE,
    log: opts.log,
    also: (url) =>
      routeRuns('tpcb', { seconds: opts.routeSeconds, warmup: opts.warmup, log: opts.log, databaseUrl: url }),
  });
  return { pgbench: r.results, pgbenchVersion: r.version, tpcb: r.also };
}
