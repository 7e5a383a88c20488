import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { quantile } from '../support/http-latency.js';

/**
 * One autocannon run (in this process; the server is in another) and what the suite reports of
 * it. Latency is kept per answer from autocannon's own timer (send → whole answer, float ms),
 * since its histogram keeps whole milliseconds; only 2xx answers count towards the rate.
 */
export interface LoadResult {
  connections: number;
  /** Answers received, of any status. */
  answers: number;
  ok2xx: number;
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx answers per second. */
  rate: number;
  p50: number;
  p99: number;
  max: number;
  /** The overall rate asked for (a paced run), or null (as fast as it goes). */
  paced: number | null;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Requests to send in all (takes precedence), or … */
  amount?: number;
  /** … seconds to run. */
  duration?: number;
  /** Requests per second over all connections (a paced run). */
  overallRate?: number;
  requests: autocannon.Request[];
  headers?: Record<string, string>;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  return runLoadOn([o.url], o);
}

/**
 * One autocannon run per URL at the same time (several server processes behind one database),
 * the connections (and a fixed amount) shared out between them as evenly as they go; the result
 * is the runs' sum, with latency quantiles over all of their answers.
 */
export async function runLoadOn(urls: readonly string[], o: Omit<LoadOptions, 'url'>): Promise<LoadResult> {
  const samples: number[] = [];
  const share = (total: number, k: number) => Math.floor(total / urls.length) + (k < total % urls.length ? 1 : 0);
  const runs = await Promise.all(
    urls.map((url, k) =>
      runAutocannon(
        { ...o, url, connections: share(o.connections, k), ...(o.amount ? { amount: share(o.amount, k) } : {}) },
        samples,
      ),
    ),
  );
  const sorted = samples.sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.statusCodeStats as unknown as Record<string, { count: number }>))
      statuses[k] = (statuses[k] ?? 0) + v.count;
  const sum = (f: (r: autocannon.Result) => number) => runs.reduce((a, r) => a + f(r), 0);
  const seconds = Math.max(...runs.map((r) => r.duration));
  return {
    connections: o.connections,
    answers: Object.values(statuses).reduce((a, b) => a + b, 0),
    ok2xx: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    statuses,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    seconds,
    rate: sum((r) => r['2xx']) / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    paced: o.overallRate ?? null,
  };
}

/** One autocannon instance; the latency of each 2xx answer goes into `samples`. */
async function runAutocannon(o: LoadOptions, samples: number[]): Promise<autocannon.Result> {
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    pipelining: 1,
    timeout: 30,
    ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
    headers: o.headers,
    requests: o.requests,
    // The instance is an EventEmitter that is also a promise of the result (the types know only the promise).
  }) as unknown as Promise<autocannon.Result> & {
    on(event: 'response', fn: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
  };
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
  });
  return instance;
}

/** One request of a paced run: its status and body. */
export type Requester = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  since?: number,
) => Promise<{ status: number; body: string }>;

/**
 * A paced (open-loop) run: task k starts at t0 + k / rate, whatever became of the earlier ones,
 * on at most `maxConnections` keep-alive connections (node:http). autocannon's own pacing sends
 * each connection's share of a second in one burst at the start of the second, which measures
 * bursts, not a steady rate. A request's latency runs from when its task was due (so a task
 * that waits for a free connection counts the wait: no coordinated omission) for the task's
 * first request, from its sending for the next ones.
 */
export async function runPaced(o: {
  url: string;
  rate: number;
  count: number;
  maxConnections: number;
  task: (k: number, request: Requester, due: number) => Promise<void>;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxConnections });
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let ok2xx = 0;
  const request: Requester = (method, path, headers, body, since) =>
    new Promise((resolve, reject) => {
      const t0 = since ?? performance.now();
      const req = http.request(new URL(path, o.url), { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            ok2xx += 1;
            samples.push(performance.now() - t0);
          }
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', (e) => {
        errors += 1;
        reject(e);
      });
      req.end(body);
    });
  const start = performance.now();
  const running: Promise<void>[] = [];
  for (let k = 0; k < o.count; k++) {
    const due = start + (k * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    running.push(o.task(k, request, due).catch(() => undefined));
  }
  await Promise.all(running);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = samples.sort((a, b) => a - b);
  return {
    connections: o.maxConnections,
    answers: Object.values(statuses).reduce((a, b) => a + b, 0),
    ok2xx,
    non2xx: Object.entries(statuses)
      .filter(([s]) => !s.startsWith('2'))
      .reduce((a, [, v]) => a + v, 0),
    statuses,
    errors,
    timeouts: 0,
    seconds,
    rate: ok2xx / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    paced: o.rate,
  };
}
