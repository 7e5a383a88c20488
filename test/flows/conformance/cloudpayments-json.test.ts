import { runConformance } from '../../support/conformance/suite.js';
import { cloudPaymentsDriver } from '../../support/conformance/cloudpayments.js';
// The same, with the site's notices set to JSON in CloudPayments' cabinet.
runConformance(cloudPaymentsDriver(true));
