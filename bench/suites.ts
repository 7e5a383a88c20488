import { ordersSuite } from './orders/suite.js';
import { reconcileSuite } from './reconcile/suite.js';
import { throughputSuite } from './throughput/suite.js';
import type { Suite } from './support/suite.js';

/**
 * Every bench suite, in the order they run. Each has an id for BENCH_ONLY, a title and an "about" for its section of
 * docs/benchmarks.md, and run(), which measures on the process's store and returns Markdown.
 */
export const SUITES: readonly Suite[] = [reconcileSuite, ordersSuite, throughputSuite];
