import { performance } from 'node:perf_hooks';

/** What one measured stretch of work cost. Memory is above the baseline taken just before it started. */
export interface Measurement {
  wallMs: number;
  /** CPU time of this process (user + system) during the stretch. */
  cpuMs: number;
  /** Share of the stretch the event loop was busy (1 = never waiting on I/O). */
  eventLoopUtilization: number;
  baseline: { heapUsed: number; rss: number };
  /** Highest heapUsed seen, minus the baseline. */
  peakHeapAboveBaseline: number;
  /** Highest RSS (sampled, or the process's high-water mark when it rose during the stretch), minus the baseline. */
  peakRssAboveBaseline: number;
  /** heapUsed after a full GC once the stretch ended, minus the baseline: what the work left behind. */
  retainedHeapAboveBaseline: number;
  /** How many samples were taken (timer and probes). */
  samples: number;
  /** heapUsed over time (above the baseline), a point every tenth of the stretch, to see whether it grows. */
  heapProfile: number[];
}

const SAMPLE_MS = 25;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** The process's peak RSS so far, in bytes. */
const maxRssBytes = (): number => process.resourceUsage().maxRSS * 1024;

/** Samples memory now, at most once a millisecond; for work that keeps the event loop too busy for the timer. */
export type Probe = () => void;

/**
 * Runs `work` and measures it: wall and CPU time, and memory (process.memoryUsage()) above a
 * baseline taken after a full GC just before it starts (run node with --expose-gc for that GC).
 * Memory is sampled every 25 ms and whenever the work calls `probe`: a synchronous database
 * driver can hold the event loop for long stretches, when the timer does not fire.
 */
export async function measure<T>(work: (probe: Probe) => Promise<T>): Promise<{ value: T; m: Measurement }> {
  collectGarbage();
  const base = process.memoryUsage();
  const maxRssBefore = maxRssBytes();
  const series: { t: number; heap: number }[] = [];
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let samples = 0;
  const sample = () => {
    const mu = process.memoryUsage();
    samples += 1;
    if (mu.heapUsed > peakHeap) peakHeap = mu.heapUsed;
    if (mu.rss > peakRss) peakRss = mu.rss;
    series.push({ t: performance.now(), heap: mu.heapUsed });
  };
  let lastProbe = 0;
  const probe: Probe = () => {
    const now = performance.now();
    if (now - lastProbe < 1) return;
    lastProbe = now;
    sample();
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let value: T;
  try {
    value = await work(probe);
  } finally {
    clearInterval(timer);
  }
  const t1 = performance.now();
  sample();
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const maxRssAfter = maxRssBytes();
  collectGarbage();
  const end = process.memoryUsage();
  if (maxRssAfter > maxRssBefore && maxRssAfter > peakRss) peakRss = maxRssAfter;

  const heapProfile: number[] = [];
  for (let i = 1; i <= 10; i++) {
    const until = t0 + ((t1 - t0) * i) / 10;
    const from = t0 + ((t1 - t0) * (i - 1)) / 10;
    const inSlice = series.filter((s) => s.t > from && s.t <= until).map((s) => s.heap);
    heapProfile.push(inSlice.length > 0 ? Math.max(...inSlice) - base.heapUsed : Number.NaN);
  }
  return {
    value,
    m: {
      wallMs: t1 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopUtilization: elu.utilization,
      baseline: { heapUsed: base.heapUsed, rss: base.rss },
      peakHeapAboveBaseline: Math.max(0, peakHeap - base.heapUsed),
      peakRssAboveBaseline: Math.max(0, peakRss - base.rss),
      retainedHeapAboveBaseline: end.heapUsed - base.heapUsed,
      samples,
      heapProfile,
    },
  };
}
