import { fail, ok, type Result } from '../domain/result.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import type { BoundConnector, Connector } from '../ports/connector.js';
import { bindConnector } from './bind-connector.js';
import type { AppDeps } from './deps.js';
import { timedHttpClient } from './timed-http-client.js';

export interface LoadedMethod extends BoundConnector {
  record: PaymentMethodRecord;
  /** The connector itself, unbound: its schema and secret fields. */
  connector: Connector<unknown>;
  /** The parsed settings, for what is not a call (the demo configures its sandbox from them). */
  settings: unknown;
}

type Bound = Omit<LoadedMethod, 'record'>;

/**
 * Methods bound from the same stored settings, per composed Settle: a shop has a handful. Keyed by
 * its secret box, which compose() makes anew for each Settle (it holds the master key that opens
 * the settings' secrets) and which every request's own copy of the deps (forRequest) shares;
 * keyed by the deps object itself, each request would bind anew.
 */
const bound = new WeakMap<AppDeps['secretBox'], Map<string, { key: string; value: Bound }>>();
const MAX_CACHED = 256;

/**
 * The method with its connector and its settings decrypted and parsed, bound and ready to use.
 * Every callback and payment loads one, and decrypting and parsing its settings each time was a
 * tenth of a callback's CPU: what was bound is kept, keyed by everything it was made from (the
 * connector, the settings and the secrets' ciphertext, which a change re-encrypts under a fresh
 * nonce), so an edited method is bound anew on its next use, in every process.
 */
export function loadMethod(deps: AppDeps, pm: PaymentMethodRecord): Result<LoadedMethod> {
  const connector = deps.connectors.get(pm.connector);
  if (!connector)
    return fail(
      'connector_unknown',
      `Payment method ${pm.id} uses connector "${pm.connector}", which this Settle does not have.`,
    );
  let cache = bound.get(deps.secretBox);
  if (!cache) bound.set(deps.secretBox, (cache = new Map()));
  const key = `${pm.connector}\n${pm.secretsCiphertext}\n${JSON.stringify(pm.settings)}`;
  const hit = cache.get(pm.id);
  if (hit?.key === key) return ok({ ...hit.value, record: pm });

  const secrets = JSON.parse(deps.secretBox.decrypt(pm.secretsCiphertext)) as Record<string, string>;
  const settings = connector.parseSettings({ ...pm.settings, ...secrets });
  if (!settings.ok) return settings;
  const http = timedHttpClient(deps.http, deps.metrics, connector.id);
  const value: Bound = { ...bindConnector(connector, settings.value, { http }), connector, settings: settings.value };
  if (cache.size >= MAX_CACHED && !hit) cache.delete(cache.keys().next().value!);
  cache.set(pm.id, { key, value });
  return ok({ ...value, record: pm });
}
