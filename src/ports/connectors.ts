import type { Connector } from './connector.js';

/** The connectors this Settle knows, by id. */
export interface ConnectorRegistry {
  get(id: string): Connector<unknown> | undefined;
  ids(): string[];
}
