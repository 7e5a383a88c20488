import { runConformance } from '../../support/conformance/suite.js';
import { ARCA_DRIVER } from '../../support/conformance/arca.js';

runConformance(ARCA_DRIVER);
