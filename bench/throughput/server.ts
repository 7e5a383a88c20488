import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DriverTrace } from '../support/trace-driver.js';

const SCRIPT = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/** Where a server's event loop stood still during a run (bench/throughput/server-child.ts). */
export interface Stalls {
  loopP99Ms: number;
  loopMaxMs: number;
  gc: Record<'major' | 'minor', { count: number; ms: number; maxMs: number }>;
}

export interface ServerProcess {
  url: string;
  /** CPU time (user + system) the server process has used so far, ms. */
  cpuMs(): Promise<number>;
  /** With BENCH_TRACE=1 in its environment: the SQL statements it ran since the last reset, timed at the driver. */
  trace(reset: boolean): Promise<DriverTrace | null>;
  /** The event loop's delay and the GC's pauses since the last call (which resets them). */
  stalls(): Promise<Stalls>;
  /** Closes the server and waits for its process to end (and write its CPU profile, if any). */
  close(): Promise<void>;
}

/** Starts bench/throughput/server-child.ts (settle, bare or tpcb) in a process of its own and waits until it listens. */
export async function startServerProcess(
  kind: 'settle' | 'bare' | 'tpcb',
  opts: {
    databaseUrl?: string;
    masterKeyHex?: string;
    cpuProfileDir?: string;
    trace?: boolean;
    tpcbScale?: number;
  } = {},
): Promise<ServerProcess> {
  const flags = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_SERVER: kind,
    BENCH_MASTER_KEY: opts.masterKeyHex ?? '',
    BENCH_TRACE: opts.trace ? '1' : '0',
    BENCH_TPCB_SCALE: String(opts.tpcbScale ?? ''),
  };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...flags, SCRIPT], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (m: { type: string; port?: number }) => {
      if (m.type === 'listening' && m.port) {
        child.off('message', onMessage);
        resolve(m.port);
      }
    };
    child.on('message', onMessage);
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`the ${kind} server exited with ${code} before listening`)));
  });
  const ask = <T>(message: object, type: string, pick: (m: Record<string, unknown>) => T) =>
    new Promise<T>((resolve) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type === type) {
          child.off('message', onMessage);
          resolve(pick(m));
        }
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    trace: (reset) => ask({ type: 'trace', reset }, 'trace', (m) => (m.trace as DriverTrace | null) ?? null),
    stalls: () => ask({ type: 'stalls' }, 'stalls', (m) => m.stalls as Stalls),
    cpuMs: () => ask({ type: 'usage' }, 'usage', (m) => (typeof m.cpuMs === 'number' ? m.cpuMs : Number.NaN)),
    async close() {
      if (child.exitCode === null) child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
