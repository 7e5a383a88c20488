import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Latency over real HTTP, one request at a time on one keep-alive connection (node:http with a
 * keep-alive agent): what one person clicking, or one store calling, waits for. Every suite that
 * measures latency uses this one client, so its figures and its reference's are comparable.
 */

export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export class BenchClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(readonly base: string) {}

  request(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(path, this.base),
        { method, agent: this.agent, headers: opts.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LatencyResult {
  /** Each measured request's time, ms, in the order they ran. */
  samples: number[];
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** How many answers had each status code. */
  statuses: Record<number, number>;
  /** What `inspect` said of the last answer (e.g. how many orders it listed). */
  note: string | null;
}

/** The q-quantile by nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * `warmup` requests unmeasured, then `count` measured one after another; each request's path
 * comes from `path(k)` (so a case can vary, e.g. a random order each time). Time is from sending
 * the request until the whole body is read.
 */
export async function measureLatency(
  client: BenchClient,
  c: { path: (k: number) => string; headers?: Record<string, string>; inspect?: (a: Answer) => string },
  opts: { warmup: number; count: number },
): Promise<LatencyResult> {
  for (let k = 0; k < opts.warmup; k++) await client.request('GET', c.path(k), { headers: c.headers });
  const samples: number[] = [];
  const statuses: Record<number, number> = {};
  let last: Answer | null = null;
  for (let k = 0; k < opts.count; k++) {
    const path = c.path(opts.warmup + k);
    const t0 = performance.now();
    const a = await client.request('GET', path, { headers: c.headers });
    samples.push(performance.now() - t0);
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    last = a;
  }
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    samples,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted.at(-1) ?? Number.NaN,
    statuses,
    note: last && c.inspect ? c.inspect(last) : null,
  };
}

/** Milliseconds for a latency table: two decimals under 10 ms, one above. */
export const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : '—');
