import { arcaDriver } from '../../support/conformance/arca.js';
import { runConformance } from '../../support/conformance/suite.js';

// ArCa with callbacks signed by the gateway's RSA key (SHA-512), verified against its certificate.
runConformance(arcaDriver('rsa'));
