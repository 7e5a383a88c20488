import { runConformance } from '../../support/conformance/suite.js';
import { TBANK_DRIVER } from '../../support/conformance/tbank.js';
runConformance(TBANK_DRIVER);
