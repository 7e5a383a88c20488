import type autocannon from 'autocannon';
import { seedOrderRows } from '../support/seed-orders.js';
import type { BenchStore } from '../support/store.js';
import { checkCallbacks, type CheckDb } from './checks.js';
import { callbackBatch, callbackBody } from './data.js';
import { runLoadOn, runPaced } from './load.js';
import type { SettleRun } from './results.js';
import type { ServerProcess } from './server.js';

export interface CallbackRunOptions {
  /** Callbacks to send in all, or … */
  amount?: number;
  /** … seconds to send for, or … */
  duration?: number;
  /** … an evenly paced run (one server). */
  paced?: { rate: number; count: number };
}

/**
 * The callback runs of one store: orders are seeded as they are needed, each callback pays an
 * order of its own (`next` is the next unsent), and each run is checked afterwards.
 */
export function callbackRunner(store: BenchStore, check: CheckDb, methodId: string) {
  let seeded = 0;
  let next = 0;
  const path = `/callbacks/${methodId}`;
  const headers = { 'content-type': 'application/json' };

  /** Seeds orders until `count` more than the next unsent one exist. */
  const ensureAhead = async (count: number) => {
    const upTo = next + count;
    if (upTo <= seeded) return;
    const from = seeded;
    await seedOrderRows(store, upTo - from, (f, t) => callbackBatch(methodId, from + f, from + t), { batchSize: 5000 });
    seeded = upTo;
  };

  /** One run over these servers (their connections shared out); CPU is all of theirs together. */
  const run = async (servers: readonly ServerProcess[], c: number, o: CallbackRunOptions): Promise<SettleRun> => {
    const first = next;
    const answered = new Set<number>();
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        path,
        headers,
        setupRequest: (req, context) => {
          const i = next++;
          (context as { i: number }).i = i;
          return { ...req, body: callbackBody(i) };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) answered.add((context as { i: number }).i);
        },
      },
    ];
    await Promise.all(servers.map((s) => s.trace(true)));
    await servers[0]!.stalls();
    const cpu = async () => (await Promise.all(servers.map((s) => s.cpuMs()))).reduce((a, b) => a + b, 0);
    const cpu0 = await cpu();
    const load = o.paced
      ? await runPaced({
          url: servers[0]!.url,
          maxConnections: c,
          ...o.paced,
          task: async (_k, request, due) => {
            const i = next++;
            const r = await request('POST', path, headers, callbackBody(i), due);
            if (r.status >= 200 && r.status < 300) answered.add(i);
          },
        })
      : await runLoadOn(
          servers.map((s) => s.url),
          { connections: c, requests, amount: o.amount, duration: o.duration },
        );
    const used = (await cpu()) - cpu0;
    // The statements are traced in the first server only (one process's view is enough).
    const traces = await Promise.all(servers.map((s) => s.trace(true)));
    const stalls = await servers[0]!.stalls();
    const verdict = await checkCallbacks(check, first, next, seeded, answered);
    return { load, serverCpuMs: used / Math.max(1, load.ok2xx), ...verdict, trace: traces[0] ?? null, stalls };
  };

  /**
   * A warm-up for `warmup` seconds on orders of its own, whose rate sizes the measured run of
   * `seconds`; then that run. `ranOut` says the warm-up outran the seeded orders.
   */
  const measured = async (servers: readonly ServerProcess[], c: number, warmup: number, seconds: number) => {
    await ensureAhead(30_000);
    const w = await run(servers, c, { duration: warmup });
    const ranOut = next > seeded;
    const amount = Math.max(c * 20, Math.round(w.load.rate * seconds));
    await ensureAhead(amount + c * 2);
    return { run: await run(servers, c, { amount }), ranOut };
  };

  return { ensureAhead, run, measured };
}
