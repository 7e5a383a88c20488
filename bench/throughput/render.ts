import { int, machineInfo, machineLine, ratio, table } from '../support/format.js';
import { ms } from '../support/http-latency.js';
import {
  AIM_HALF_RATE_P99_MS,
  AIM_LEVELS,
  AIM_SHARE_OF_PLAIN_SQLITE,
  AIM_SHARE_OF_TPCB_ROUTE,
  judgeAims,
} from './aims.js';
import type { LoadResult } from './load.js';
import { renderDetails } from './render-details.js';
import { LEVELS, type SettleRun, type StoreResults } from './results.js';

const aimMark = (ok: boolean | null) => (ok === null ? '—' : ok ? '✔' : '✘');

export function answers(r: LoadResult): string {
  const s = Object.entries(r.statuses)
    .map(([k, v]) => `${k} ×${int(v)}`)
    .join(', ');
  const extra = [r.errors ? `${int(r.errors)} errors` : '', r.timeouts ? `${int(r.timeouts)} timeouts` : ''].filter(
    Boolean,
  );
  return [s || 'none', ...extra].join(', ');
}

export function render(res: StoreResults, store: 'sqlite' | 'postgres'): string {
  const out: string[] = [machineLine(machineInfo(), res.version), ''];
  const pgRef = (c: number) => res.pgbench?.find((p) => p.connections === c) ?? null;
  const bareRef = (c: number) => res.bare.find((b) => b.connections === c)!;
  const tpcbRef = (c: number) => res.tpcb?.find((b) => b.connections === c) ?? null;

  // Aims 1 and 3: plain SQLite is the reference on SQLite, the TPC-B route on PostgreSQL.
  const aimRef = (c: number) => (store === 'sqlite' ? (res.plain?.rate ?? null) : (tpcbRef(c)?.rate ?? null));
  const aimShare = store === 'sqlite' ? AIM_SHARE_OF_PLAIN_SQLITE : AIM_SHARE_OF_TPCB_ROUTE;
  const cbRows = res.callbacks.map((r) => {
    const c = r.load.connections;
    const p = pgRef(c);
    const ref = aimRef(c);
    const aim = ref !== null && AIM_LEVELS.includes(c) ? r.load.rate >= aimShare * ref && r.checkOk : null;
    return [
      String(c),
      int(r.load.rate),
      res.plain ? ratio(r.load.rate / res.plain.rate) : '—',
      p ? ratio(r.load.rate / p.tps) : '—',
      tpcbRef(c) ? ratio(r.load.rate / tpcbRef(c)!.rate) : '—',
      ratio(r.load.rate / bareRef(c).rate),
      ms(r.load.p50),
      ms(r.load.p99),
      `${r.serverCpuMs.toFixed(2)} ms`,
      answers(r.load),
      r.checkOk ? '✔' : '✘',
      aimMark(aim),
    ];
  });
  out.push(
    '**Verified callbacks applied per second**',
    '',
    table(
      [
        'connections',
        'callbacks/s',
        '÷ plain SQLite',
        '÷ pgbench TPS',
        '÷ TPC-B route',
        '÷ bare route',
        'p50',
        'p99',
        'server CPU/req',
        'answers',
        'checked',
        `≥ ${aimShare}× ${store === 'sqlite' ? 'plain SQLite' : 'TPC-B route'}`,
      ],
      cbRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
    ),
    '',
  );
  const orRows = res.orders.map((r) => {
    const c = r.load.connections;
    const p = pgRef(c);
    return [
      String(c),
      int(r.load.rate),
      p ? ratio(r.load.rate / p.tps) : '—',
      ratio(r.load.rate / bareRef(c).rate),
      ms(r.load.p50),
      ms(r.load.p99),
      `${r.serverCpuMs.toFixed(2)} ms`,
      answers(r.load),
      r.checkOk ? '✔' : '✘',
    ];
  });
  out.push(
    '**Orders plus payment attempts created per second**',
    '',
    table(
      [
        'connections',
        'orders + attempts/s',
        '÷ pgbench TPS',
        '÷ bare route',
        'p50',
        'p99',
        'server CPU/pair',
        'answers',
        'checked',
      ],
      orRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ),
    '',
  );
  const h = res.callbacksHalf;
  const oh = res.ordersHalf;
  out.push(
    '**At half the maximum rate** (paced evenly, up to 64 connections)',
    '',
    table(
      ['case', 'paced at', 'achieved', 'p50', 'p99', 'answers', 'checked', `p99 < ${AIM_HALF_RATE_P99_MS[store]} ms`],
      [
        [
          'callbacks',
          `${int(h.load.paced ?? Number.NaN)}/s`,
          `${int(h.load.rate)}/s`,
          ms(h.load.p50),
          ms(h.load.p99),
          answers(h.load),
          h.checkOk ? '✔' : '✘',
          aimMark(h.load.p99 < AIM_HALF_RATE_P99_MS[store] && h.checkOk),
        ],
        [
          'orders + attempts',
          `${int(oh.load.paced ?? Number.NaN)} pairs/s`,
          `${int(oh.load.rate)} pairs/s`,
          ms(oh.load.p50),
          ms(oh.load.p99),
          answers(oh.load),
          oh.checkOk ? '✔' : '✘',
          '—',
        ],
      ],
      ['l', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
    ),
    '',
  );
  const refRows = LEVELS.map((c) => {
    const p = pgRef(c);
    const b = bareRef(c);
    const t = tpcbRef(c);
    return [
      String(c),
      res.plain ? `${int(res.plain.rate)}${res.plain.otherRate ? ` (${int(res.plain.otherRate)})` : ''}` : '—',
      p ? int(p.tps) : '—',
      p ? `${p.latencyMs.toFixed(2)} ms` : '—',
      t ? int(t.rate) : '—',
      t && p ? ratio(t.rate / p.tps) : '—',
      t ? ms(t.p99) : '—',
      int(b.rate),
      ms(b.p50),
      ms(b.p99),
    ];
  });
  out.push(
    '**References** (same run, same machine)',
    '',
    table(
      [
        'connections',
        'plain SQLite tx/s',
        'pgbench TPS',
        'pgbench latency (avg)',
        'TPC-B route req/s',
        'TPC-B route ÷ pgbench',
        'TPC-B route p99',
        'bare route req/s',
        'bare p50',
        'bare p99',
      ],
      refRows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  out.push(...renderScaleOut(res));

  // The aims (bench/throughput/aims.ts).
  const asRun = (r: SettleRun) => ({
    connections: r.load.connections,
    rate: r.load.rate,
    p50: r.load.p50,
    p99: r.load.p99,
    cpuMs: r.serverCpuMs,
    checked: r.checkOk,
  });
  const verdicts = judgeAims({
    store,
    callbacks: res.callbacks.map(asRun),
    orders: res.orders.map(asRun),
    halfRateP99: h.checkOk ? h.load.p99 : Infinity,
    reference: aimRef,
    ...(res.scaleOut && { scaleOut: res.scaleOut.map((r) => ({ ...asRun(r), processes: r.processes })) }),
  });
  const aims = verdicts.map((v) => `${v.aim}: **${v.met ? 'met' : 'not met'}**${v.seen ? ` (${v.seen})` : ''}`);
  if (!h.checkOk || !oh.checkOk) aims.push('a half-rate run’s check **failed**');
  out.push(`Aims: ${aims.join('; ')}.`, '');
  for (const n of res.notes) out.push(`> ${n}`, '');

  out.push(...renderDetails(res));
  return out.join('\n');
}

/** Aim 5: the same callbacks through one and through two server processes on one PostgreSQL. */
function renderScaleOut(res: StoreResults): string[] {
  if (!res.scaleOut?.length) return [];
  const one = (c: number) => res.scaleOut!.find((r) => r.processes === 1 && r.load.connections === c);
  const rows = res.scaleOut.map((r) => {
    const base = one(r.load.connections);
    return [
      String(r.processes),
      String(r.load.connections),
      int(r.load.rate),
      base && r !== base ? ratio(r.load.rate / base.load.rate) : '—',
      ms(r.load.p50),
      ms(r.load.p99),
      `${r.serverCpuMs.toFixed(2)} ms`,
      base && r !== base ? ratio(r.serverCpuMs / base.serverCpuMs) : '—',
      answers(r.load),
      r.checkOk ? '✔' : '✘',
    ];
  });
  return [
    '**Scale out: callbacks through one and two `settle serve` processes on this PostgreSQL** (connections shared out between the processes; CPU is both processes’ together)',
    '',
    table(
      [
        'processes',
        'connections',
        'callbacks/s',
        '÷ 1 process',
        'p50',
        'p99',
        'server CPU/req',
        '÷ 1 process',
        'answers',
        'checked',
      ],
      rows,
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ),
    '',
  ];
}
