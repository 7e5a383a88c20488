import { runConformance } from '../../support/conformance/suite.js';
import { IDRAM_DRIVER } from '../../support/conformance/idram.js';
runConformance(IDRAM_DRIVER);
