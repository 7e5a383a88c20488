import { runConformance } from '../../support/conformance/suite.js';
import { CLOUDPAYMENTS_DRIVER } from '../../support/conformance/cloudpayments.js';
runConformance(CLOUDPAYMENTS_DRIVER);
