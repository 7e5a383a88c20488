import { ACQUIRING_V1_DRIVER } from '../../support/conformance/acquiring-v1.js';
import { runConformance } from '../../support/conformance/suite.js';

runConformance(ACQUIRING_V1_DRIVER);
