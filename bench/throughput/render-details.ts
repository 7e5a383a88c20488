import { int, table } from '../support/format.js';
import { ms } from '../support/http-latency.js';
import { profileMarkdown } from '../support/cpu-profile.js';
import { PGBENCH_SCALE, type SettleRun, type StoreResults } from './results.js';

/** The folded part of a store's results: each run's check, the SQL traced, the CPU profiles. */
export function renderDetails(res: StoreResults): string[] {
  const out: string[] = [];
  const h = res.callbacksHalf;
  const oh = res.ordersHalf;
  out.push(
    '<details><summary>Details: the runs’ checks' +
      (res.profiles.callbacks ? ' and CPU profiles of the server' : '') +
      '</summary>',
    '',
  );
  if (res.pgbenchVersion)
    out.push(
      `${res.pgbenchVersion}; scale ${PGBENCH_SCALE}. pgbench transactions: ${res.pgbench!.map((p) => `${p.connections} → ${int(p.transactions)}${p.failed ? ` (${p.failed} failed)` : ''}`).join(', ')}.`,
      '',
    );
  out.push(
    table(
      ['run', 'connections', 'seconds', 'check'],
      [
        ...res.callbacks.map((r) => ['callbacks', String(r.load.connections), r.load.seconds.toFixed(2), r.check]),
        ['callbacks, half rate', String(h.load.connections), h.load.seconds.toFixed(2), h.check],
        ...(res.scaleOut ?? []).map((r) => [
          `callbacks, ${r.processes} process${r.processes > 1 ? 'es' : ''}`,
          String(r.load.connections),
          r.load.seconds.toFixed(2),
          r.check,
        ]),
        ...res.orders.map((r) => ['orders + attempts', String(r.load.connections), r.load.seconds.toFixed(2), r.check]),
        ['orders + attempts, half rate', String(oh.load.connections), oh.load.seconds.toFixed(2), oh.check],
      ],
      ['l', 'r', 'r', 'l'],
    ),
  );
  // Where the tails come from: a request waits whenever the server's one thread is busy elsewhere.
  const stallRow = (what: string, r: SettleRun) => {
    const { loopP99Ms, loopMaxMs, gc } = r.stalls;
    return [
      what,
      String(r.load.connections),
      ms(r.load.p99),
      ms(loopP99Ms),
      ms(loopMaxMs),
      `${int(gc.minor.count)} · ${ms(gc.minor.ms)} · ${ms(gc.minor.maxMs)}`,
      `${int(gc.major.count)} · ${ms(gc.major.ms)} · ${ms(gc.major.maxMs)}`,
    ];
  };
  out.push(
    '',
    "**Where the server's event loop stood still** (the first server process; the loop's delay sampled every millisecond, and the garbage collector's pauses: count · total · longest)",
    '',
    table(
      ['run', 'connections', 'answer p99', 'loop delay p99', 'loop delay max', 'minor GC', 'major GC'],
      [
        ...res.callbacks.map((r) => stallRow('callbacks', r)),
        stallRow('callbacks, half rate', h),
        ...res.orders.map((r) => stallRow('orders + attempts', r)),
        stallRow('orders + attempts, half rate', oh),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  const sqlTable = (title: string, r: SettleRun, per: string) => {
    if (!r.trace) return;
    const n = Math.max(1, per === 'pair' ? r.load.rate * r.load.seconds : r.load.ok2xx);
    const rows = Object.entries(r.trace.statements)
      .sort(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 15)
      .map(([sql, st]) => [`\`${sql}\``, (st.calls / n).toFixed(2), ms(st.ms / st.calls), ms(st.ms / n)]);
    const total = Object.values(r.trace.statements).reduce((a, st) => a + st.ms, 0);
    out.push('', `##### SQL the server ran, ${title} (${r.load.connections} connections), timed at the driver`, '');
    out.push(table(['statement', `calls per ${per}`, 'time per call', `time per ${per}`], rows, ['l', 'r', 'r', 'r']));
    out.push(
      '',
      `All statements: ${ms(total / n)} per ${per} (${r.trace.prepare.calls ? `statements compiled: ${int(r.trace.prepare.calls)}, ${ms(r.trace.prepare.ms / n)} per ${per}` : 'no statement compiled on PostgreSQL'}). On PostgreSQL the time is the round trip, waits for locks and the pool included.`,
    );
  };
  for (const r of res.callbacks) sqlTable('callbacks', r, 'callback');
  for (const r of res.orders) sqlTable('orders + attempts', r, 'pair');
  if (res.profiles.callbacks) {
    out.push(
      '',
      '##### Server CPU profile, callback runs (warm-ups included)',
      '',
      profileMarkdown(res.profiles.callbacks, 15),
    );
  }
  if (res.profiles.orders) {
    out.push(
      '',
      '##### Server CPU profile, orders + attempts runs (warm-ups included)',
      '',
      profileMarkdown(res.profiles.orders, 15),
    );
  }
  out.push('', '</details>');
  return out;
}
