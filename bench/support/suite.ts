import type { DocSection } from './doc.js';
import type { StoreKind } from './store.js';

export interface SuiteContext {
  store: StoreKind;
  /** BENCH_SIZES, when given: replaces the suite's own sizes (a quick run). */
  sizes: number[] | null;
  /** BENCH_PROFILE=1: also take a CPU profile of the measured work and summarise it. */
  profile: boolean;
  log(message: string): void;
}

/** A bench suite: measures on the store of its process and returns its Markdown block for docs/benchmarks.md. */
export interface Suite extends DocSection {
  run(ctx: SuiteContext): Promise<string>;
}
