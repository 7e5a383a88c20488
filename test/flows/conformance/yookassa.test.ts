import { runConformance } from '../../support/conformance/suite.js';
import { YOOKASSA_DRIVER } from '../../support/conformance/yookassa.js';
runConformance(YOOKASSA_DRIVER);
