import type { Connector } from '../ports/connector.js';
import { acquiringV1 } from './acquiring-v1/connector.js';
import { arca } from './arca/connector.js';
import { ameria } from './ameria/connector.js';
import { cloudpayments } from './cloudpayments/connector.js';
import { idram } from './idram/connector.js';
import { robokassa } from './robokassa/connector.js';
import { tbank } from './tbank/connector.js';
import { yookassa } from './yookassa/connector.js';

// Each connector has its own settings type; the registry is where they meet, hence `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = Connector<any>;

const ALL: readonly AnyConnector[] = [acquiringV1, arca, ameria, idram, tbank, yookassa, cloudpayments, robokassa];

/** Every connector Settle knows, by id. A new connector adds one entry to ALL. */
export function connectorRegistry(): Map<string, AnyConnector> {
  return new Map(ALL.map((c) => [c.id, c]));
}

/** The connector with this id, or undefined when there is none. */
export function getConnector(id: string): AnyConnector | undefined {
  return ALL.find((c) => c.id === id);
}
