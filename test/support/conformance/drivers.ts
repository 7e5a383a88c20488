import { ACQUIRING_V1_DRIVER } from './acquiring-v1.js';
import { AMERIA_DRIVER } from './ameria.js';
import { ARCA_DRIVER } from './arca.js';
import { CLOUDPAYMENTS_DRIVER } from './cloudpayments.js';
import type { ConformanceDriver } from './driver.js';
import { IDRAM_DRIVER } from './idram.js';
import { ROBOKASSA_DRIVER } from './robokassa.js';
import { TBANK_DRIVER } from './tbank.js';
import { YOOKASSA_DRIVER } from './yookassa.js';

/** Every connector's driver: the tests that go over all connectors (admin forms) take them from here. */
export const DRIVERS: readonly ConformanceDriver[] = [
  ACQUIRING_V1_DRIVER,
  AMERIA_DRIVER,
  ARCA_DRIVER,
  IDRAM_DRIVER,
  TBANK_DRIVER,
  YOOKASSA_DRIVER,
  CLOUDPAYMENTS_DRIVER,
  ROBOKASSA_DRIVER,
];
