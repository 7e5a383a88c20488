/** How one HTTP exchange with a provider ended: an answer (2xx/3xx or 4xx/5xx), or none. */
export type ProviderCallResult = 'ok' | 'http_error' | 'timeout' | 'unreachable';

/**
 * What the use cases count, for operators (Prometheus at /metrics). Counting never fails and
 * never blocks: an implementation swallows its own errors. Labels are small closed sets (ids of
 * connectors, outcomes, statuses), never order references or amounts.
 */
export interface Metrics {
  /** A provider callback was recorded with this outcome (applied, duplicate, stale, rejected…). */
  callbackReceived(connector: string, outcome: string): void;
  /** A callback failed verification (its signature or its shape): `code` is the failure code. */
  callbackVerificationFailed(connector: string, code: string): void;
  /** One status track of an order moved (`track` payment, order, delivery…; `to` the new status). */
  statusChanged(track: string, to: string): void;
  /** One HTTP exchange with a provider, and how long it took. */
  providerCall(connector: string, result: ProviderCallResult, seconds: number): void;
}

/** Counts nothing: for tools and tests that do not look at metrics. */
export const noMetrics: Metrics = {
  callbackReceived() {},
  callbackVerificationFailed() {},
  statusChanged() {},
  providerCall() {},
};
