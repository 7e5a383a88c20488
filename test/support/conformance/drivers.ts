import { ACQUIRING_V1_DRIVER } from './acquiring-v1.js';
import { ARCA_DRIVER } from './arca.js';
import type { ConformanceDriver } from './driver.js';

/** Every connector's driver: the tests that go over all connectors (admin forms) take them from here. */
export const DRIVERS: readonly ConformanceDriver[] = [ACQUIRING_V1_DRIVER, ARCA_DRIVER];
