import type { HttpClient } from '../ports/http-client.js';
import { ProviderUnreachable } from '../ports/http-client.js';
import type { Metrics, ProviderCallResult } from '../ports/metrics.js';

/**
 * An HttpClient that times every exchange for `connector` (settle_provider_call_duration_seconds).
 * A payment method's connector reaches the provider only through the client bound to it when the
 * method is loaded, so this sees every call of every connector (payments, status checks, cancels,
 * refunds, reports) and nothing else the shared client carries (store webhooks, the fiscal service).
 */
export function timedHttpClient(http: HttpClient, metrics: Metrics, connector: string): HttpClient {
  return {
    async request(req) {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const res = await http.request(req);
        metrics.providerCall(connector, res.status >= 400 ? 'http_error' : 'ok', seconds());
        return res;
      } catch (err) {
        const result: ProviderCallResult =
          err instanceof ProviderUnreachable && err.reason === 'timeout' ? 'timeout' : 'unreachable';
        metrics.providerCall(connector, result, seconds());
        throw err;
      }
    },
  };
}
