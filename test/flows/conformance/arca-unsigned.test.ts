import { arcaDriver } from '../../support/conformance/arca.js';
import { runConformance } from '../../support/conformance/suite.js';

// ArCa without a checksum key: every callback is an unsigned trigger, and only the status check
// is applied.
runConformance(arcaDriver('none'));
