import { runConformance } from '../../support/conformance/suite.js';
import { ROBOKASSA_DRIVER } from '../../support/conformance/robokassa.js';
runConformance(ROBOKASSA_DRIVER);
