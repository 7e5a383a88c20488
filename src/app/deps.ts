import type { Clock } from '../ports/clock.js';
import type { HttpClient } from '../ports/connector.js';
import type { ConnectorRegistry } from '../ports/connectors.js';
import type { Random } from '../ports/random.js';
import type { SecretBox, TokenHasher } from '../ports/secret-box.js';
import type { Storage } from '../ports/storage.js';

/** What every use case may use; the composition root (main.ts) and tests build it. */
export interface AppDeps {
  storage: Storage;
  connectors: ConnectorRegistry;
  http: HttpClient;
  clock: Clock;
  random: Random;
  secretBox: SecretBox;
  hash: TokenHasher;
  /** Where Settle is reached from outside, without a trailing slash: callback and return URLs. */
  publicUrl: string;
}

export const nowIso = (deps: Pick<AppDeps, 'clock'>): string => deps.clock.now().toISOString();
