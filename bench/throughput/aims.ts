/**
 * The throughput aims (issue 18), kept here and nowhere else (never in tests). Each is judged on
 * the run's own figures and references, at the connection counts the aim names.
 */
export type Store = 'sqlite' | 'postgres';

/** Aim 1 (SQLite): callbacks/s ÷ plain better-sqlite3 transactions of a callback's size. */
export const AIM_SHARE_OF_PLAIN_SQLITE = 0.5;
/** Aim 3 (PostgreSQL): callbacks/s ÷ the TPC-B route. */
export const AIM_SHARE_OF_TPCB_ROUTE = 0.7;
/** Aims 1 and 3 are read at these connection counts. */
export const AIM_LEVELS: readonly number[] = [8, 64];
/** Aim 2: server CPU per callback and per order + attempt, ms. */
export const AIM_CPU_MS: Record<Store, { callback: number; pair: number }> = {
  sqlite: { callback: 0.5, pair: 1 },
  postgres: { callback: 1, pair: 1.5 },
};
/** Aim 4: p99 ÷ p50 at 64 connections, and p99 at half the best callback rate, ms. */
export const AIM_TAIL_RATIO = 5;
export const AIM_HALF_RATE_P99_MS: Record<Store, number> = { sqlite: 15, postgres: 25 };

export interface AimRun {
  connections: number;
  rate: number;
  p50: number;
  p99: number;
  cpuMs: number;
  checked: boolean;
}

export interface AimInput {
  store: Store;
  callbacks: AimRun[];
  orders: AimRun[];
  halfRateP99: number;
  /** The reference rate at a connection count: plain SQLite on SQLite, the TPC-B route on PostgreSQL. */
  reference: (connections: number) => number | null;
  /** PostgreSQL: callbacks through one and two server processes (aim 5, measured, no threshold). */
  scaleOut?: (AimRun & { processes: number })[];
}

export interface AimVerdict {
  aim: string;
  met: boolean;
  /** The figures the verdict was read from. */
  seen: string;
}

const r2 = (x: number) => `${x.toFixed(2)}×`;

/** Every aim with its verdict and the figures behind it. */
export function judgeAims(a: AimInput): AimVerdict[] {
  const at = (runs: AimRun[]) => AIM_LEVELS.map((c) => runs.find((r) => r.connections === c)).filter((r) => !!r);
  const share = a.store === 'sqlite' ? AIM_SHARE_OF_PLAIN_SQLITE : AIM_SHARE_OF_TPCB_ROUTE;
  const refName = a.store === 'sqlite' ? 'plain SQLite' : 'the TPC-B route';
  const ratios = at(a.callbacks).map((r) => ({
    c: r.connections,
    x: r.rate / (a.reference(r.connections) ?? Infinity),
  }));
  const cpu = AIM_CPU_MS[a.store];
  const cbCpu = at(a.callbacks);
  const pairCpu = at(a.orders);
  const sat = a.callbacks.find((r) => r.connections === 64);
  const tail = sat ? sat.p99 / sat.p50 : Infinity;
  const halfAim = AIM_HALF_RATE_P99_MS[a.store];
  return [
    {
      aim: `callbacks/s ≥ ${share}× ${refName} at ${AIM_LEVELS.join(' and ')} connections`,
      met: ratios.length === AIM_LEVELS.length && ratios.every((x) => x.x >= share),
      seen: ratios.map((x) => `${x.c}: ${r2(x.x)}`).join(', '),
    },
    {
      aim: `server CPU ≤ ${cpu.callback} ms per callback and ≤ ${cpu.pair} ms per order + attempt at ${AIM_LEVELS.join(' and ')} connections`,
      met:
        cbCpu.length === AIM_LEVELS.length &&
        cbCpu.every((r) => r.cpuMs <= cpu.callback) &&
        pairCpu.length === AIM_LEVELS.length &&
        pairCpu.every((r) => r.cpuMs <= cpu.pair),
      seen: `callbacks ${cbCpu.map((r) => `${r.connections}: ${r.cpuMs.toFixed(2)} ms`).join(', ')}; pairs ${pairCpu.map((r) => `${r.connections}: ${r.cpuMs.toFixed(2)} ms`).join(', ')}`,
    },
    {
      aim: `callback p99 ≤ ${AIM_TAIL_RATIO}× p50 at 64 connections`,
      met: tail <= AIM_TAIL_RATIO,
      seen: sat ? `${tail.toFixed(1)}×` : '—',
    },
    {
      aim: `callback p99 < ${halfAim} ms at half the best rate`,
      met: a.halfRateP99 < halfAim,
      seen: `${a.halfRateP99.toFixed(1)} ms`,
    },
    ...(a.store === 'postgres' ? [scaleOutVerdict(a.scaleOut ?? [])] : []),
    {
      aim: "every run's check (no lost or doubled effect)",
      met: [...a.callbacks, ...a.orders, ...(a.scaleOut ?? [])].every((r) => r.checked),
      seen: '',
    },
  ];
}

/**
 * Aim 5 asks for a measurement, not a figure: met when callbacks ran through one and through two
 * processes at each of the aim's connection counts; seen is what the second process gave and cost.
 */
function scaleOutVerdict(runs: (AimRun & { processes: number })[]): AimVerdict {
  const pairs = AIM_LEVELS.map((c) => ({
    c,
    one: runs.find((r) => r.processes === 1 && r.connections === c),
    two: runs.find((r) => r.processes === 2 && r.connections === c),
  }));
  const both = pairs.filter((p) => p.one && p.two);
  return {
    aim: `callbacks measured with 1 and 2 server processes at ${AIM_LEVELS.join(' and ')} connections`,
    met: both.length === AIM_LEVELS.length,
    seen: both
      .map(
        (p) =>
          `${p.c}: ${r2(p.two!.rate / p.one!.rate)} the rate, ${r2(p.two!.cpuMs / p.one!.cpuMs)} the CPU per callback`,
      )
      .join('; '),
  };
}
