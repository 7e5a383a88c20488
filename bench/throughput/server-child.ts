// A server in a process of its own, so the load generator (autocannon, in the suite's process)
// does not share its event loop. Started by bench/throughput/server.ts over an IPC channel:
//
//   BENCH_SERVER=settle  the real server: buildServer over compose(), as `settle serve` builds it
//                        (default PostgreSQL pool, logger off, no outbox worker), over DATABASE_URL
//   BENCH_SERVER=bare    a bare Fastify server with one POST route answering small JSON: the reference
//
// It sends {port} when it listens, answers {type:'usage'} with its CPU time so far, and on
// {type:'close'} closes and exits (which writes its CPU profile when started with --cpu-prof).
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server.js';
import { compose } from '../../src/main.js';
import { tpcbRoute } from './tpcb-route.js';
import { installDriverTrace, summariseDriverTrace, type DriverTrace } from '../support/trace-driver.js';

type Message = { type: 'usage' } | { type: 'close' } | { type: 'trace'; reset?: boolean } | { type: 'stalls' };

// Where the event loop stood still, for the tails: its delay (sampled every millisecond) and the
// garbage collector's pauses, since the last {type:'stalls'}, which reads and resets them.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const newGc = () => ({ major: { count: 0, ms: 0, maxMs: 0 }, minor: { count: 0, ms: 0, maxMs: 0 } });
let gc = newGc();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const g =
      (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
        ? gc.major
        : gc.minor;
    g.count += 1;
    g.ms += e.duration;
    g.maxMs = Math.max(g.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

// BENCH_TRACE=1: every SQL statement timed at the driver (bench/support/trace-driver.ts), asked for with {type:'trace'}.
const trace: DriverTrace | null = process.env.BENCH_TRACE === '1' ? installDriverTrace() : null;

async function start(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  if (process.env.BENCH_SERVER === 'bare') {
    const app = Fastify({ logger: false });
    app.post('/ping', async () => ({ status: 'ok' }));
    return { app, close: () => app.close() };
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (process.env.BENCH_SERVER === 'tpcb') {
    if (!databaseUrl) throw new Error('DATABASE_URL must be set');
    return tpcbRoute(databaseUrl, Number(process.env.BENCH_TPCB_SCALE));
  }
  const key = process.env.BENCH_MASTER_KEY;
  if (!databaseUrl || !key) throw new Error('DATABASE_URL and BENCH_MASTER_KEY must be set');
  const composed = compose(
    { databaseUrl, masterKey: Buffer.from(key, 'hex'), publicUrl: 'http://127.0.0.1:9' },
    { fiscal: null },
  );
  // One client address sends everything here, so the per-address callback limit
  // (RATE_LIMIT_CALLBACKS_PER_MINUTE, 6000 by default) is raised out of the way; the limiter still runs.
  const app = await buildServer(composed.deps, { logger: false, rateLimits: { callbacksPerMinute: 1_000_000_000 } });
  return {
    app,
    async close() {
      await app.close();
      await composed.close();
    },
  };
}

const server = await start();
await server.app.listen({ host: '127.0.0.1', port: 0 });
const addr = server.app.server.address();
if (!addr || typeof addr === 'string') throw new Error('no address');
process.send!({ type: 'listening', port: addr.port });

process.on('message', (m: Message) => {
  if (m.type === 'usage') {
    const u = process.cpuUsage();
    process.send!({ type: 'usage', cpuMs: (u.user + u.system) / 1000 });
  } else if (m.type === 'trace') {
    process.send!({ type: 'trace', trace: trace ? summariseDriverTrace(trace) : null });
    if (trace && m.reset) {
      for (const k of Object.keys(trace.statements)) delete trace.statements[k];
      trace.prepare = { calls: 0, ms: 0 };
    }
  } else if (m.type === 'stalls') {
    const ns = (v: number) => v / 1e6;
    process.send!({
      type: 'stalls',
      stalls: {
        loopP99Ms: ns(loopDelay.percentile(99)),
        loopMaxMs: ns(loopDelay.max),
        gc,
      },
    });
    loopDelay.reset();
    gc = newGc();
  } else if (m.type === 'close') {
    void server.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
