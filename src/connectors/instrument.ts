import type { Connector, ConnectorContext, HttpClient } from '../ports/connector.js';
import type { Metrics, ProviderCallResult } from '../ports/metrics.js';
import { ProviderUnreachable } from './http-client.js';

/** An HttpClient that times every exchange for `connector` (settle_provider_call_duration_seconds). */
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

/**
 * The connector with every provider call timed. Connectors reach the provider only through the
 * HttpClient in their ConnectorContext, so swapping it here sees every call of every connector
 * (payments, status checks, cancels, refunds, reports) and nothing else the shared client
 * carries (store webhooks, the fiscal service), with the connector's id as the label.
 */
export function instrumentConnector<S>(c: Connector<S>, metrics: Metrics): Connector<S> {
  const timed = (ctx: ConnectorContext): ConnectorContext => ({
    ...ctx,
    http: timedHttpClient(ctx.http, metrics, c.id),
  });
  return {
    ...c,
    startPayment: (input, ctx) => c.startPayment(input, timed(ctx)),
    ...(c.checkStatus && {
      checkStatus: (s: S, input: Parameters<NonNullable<Connector<S>['checkStatus']>>[1], ctx: ConnectorContext) =>
        c.checkStatus!(s, input, timed(ctx)),
    }),
    ...(c.cancel && {
      cancel: (s: S, input: Parameters<NonNullable<Connector<S>['cancel']>>[1], ctx: ConnectorContext) =>
        c.cancel!(s, input, timed(ctx)),
    }),
    ...(c.refund && {
      refund: (s: S, input: Parameters<NonNullable<Connector<S>['refund']>>[1], ctx: ConnectorContext) =>
        c.refund!(s, input, timed(ctx)),
    }),
    ...(c.fetchReport && {
      fetchReport: (s: S, input: { date: string }, ctx: ConnectorContext) => c.fetchReport!(s, input, timed(ctx)),
    }),
  };
}
