import { runConformance } from '../../support/conformance/suite.js';
import { robokassaDriver } from '../../support/conformance/robokassa.js';
// The same with the shop set to SHA-512 in Robokassa's technical settings.
runConformance(robokassaDriver('sha512'));
