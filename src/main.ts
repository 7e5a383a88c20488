import { hashToken, createSecretBox } from './adapters/aes-secret-box.js';
import { cryptoRandom } from './adapters/crypto-random.js';
import { systemClock } from './adapters/system-clock.js';
import type { AppDeps } from './app/deps.js';
import type { Config } from './config.js';
import { createHttpClient } from './connectors/http-client.js';
import { connectorRegistry } from './connectors/registry.js';
import type { Clock } from './ports/clock.js';
import type { ConnectorRegistry } from './ports/connectors.js';
import type { HttpClient } from './ports/connector.js';
import { openStorage, type OpenedStorage } from './storage/open-storage.js';

export interface Composed {
  deps: AppDeps;
  storage: OpenedStorage;
  close(): Promise<void>;
}

/** The composition root: real adapters for every port. Tests pass their own clock or storage. */
export function compose(
  config: Pick<Config, 'databaseUrl' | 'masterKey' | 'publicUrl'>,
  overrides: { storage?: OpenedStorage; clock?: Clock; http?: HttpClient } = {},
): Composed {
  const storage = overrides.storage ?? openStorage(config.databaseUrl);
  const registry = connectorRegistry();
  const connectors: ConnectorRegistry = { get: (id) => registry.get(id), ids: () => [...registry.keys()] };
  const deps: AppDeps = {
    storage,
    connectors,
    http: overrides.http ?? createHttpClient(),
    clock: overrides.clock ?? systemClock,
    random: cryptoRandom,
    secretBox: createSecretBox(config.masterKey),
    hash: hashToken,
    publicUrl: config.publicUrl,
  };
  return { deps, storage, close: () => storage.close() };
}
