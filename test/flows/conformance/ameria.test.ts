import { runConformance } from '../../support/conformance/suite.js';
import { AMERIA_DRIVER } from '../../support/conformance/ameria.js';
runConformance(AMERIA_DRIVER);
