import type { BoundConnector, Connector, ConnectorContext } from '../ports/connector.js';

/** What a connector that starts locally is given for its start: it runs inside a transaction, so no call may leave. */
const NO_CALLS: ConnectorContext = {
  http: {
    request: () => Promise.reject(new Error('a connector that starts payments locally called its provider')),
  },
};

/**
 * The connector with its parsed settings and its HTTP client bound: every method takes only the
 * call's own input. An ability the connector lacks stays missing.
 */
export function bindConnector<S>(c: Connector<S>, settings: S, ctx: ConnectorContext): BoundConnector {
  const { checkStatus, cancel, capture, refund, fetchReport, parseReport, returnReference, references } = c;
  const release = c.void;
  return {
    id: c.id,
    title: c.title,
    ...(c.currencies && { currencies: c.currencies }),
    ...(c.callbackKinds && { callbackKinds: c.callbackKinds }),
    ...(c.startsLocally && { startsLocally: true }),
    references: () => (references ? references.call(c, settings) : { kind: 'suffix' }),
    providerRef: (reference, n) => c.providerRef(reference, n),
    normalizeRef: (ref) => c.normalizeRef(ref),
    startPayment: (input) => c.startPayment({ ...input, settings }, c.startsLocally ? NO_CALLS : ctx),
    parseCallback: (req) => c.parseCallback(settings, req),
    redactCallback: (req) => c.redactCallback(req),
    callbackResponse: (reply) => c.callbackResponse(reply),
    ...(returnReference && { returnReference: (req) => returnReference.call(c, req) }),
    ...(checkStatus && { checkStatus: (input) => checkStatus.call(c, settings, input, ctx) }),
    ...(cancel && { cancel: (input) => cancel.call(c, settings, input, ctx) }),
    ...(capture && { capture: (input) => capture.call(c, settings, input, ctx) }),
    ...(release && { void: (input) => release.call(c, settings, input, ctx) }),
    ...(refund && { refund: (input) => refund.call(c, settings, input, ctx) }),
    ...(fetchReport && { fetchReport: (input) => fetchReport.call(c, settings, input, ctx) }),
    ...(parseReport && { parseReport: (input) => parseReport.call(c, input) }),
  };
}
