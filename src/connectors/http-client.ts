// Moved: the adapter is src/adapters/http-client.ts, the port and ProviderUnreachable src/ports/http-client.ts.
export * from '../adapters/http-client.js';
export { ProviderUnreachable } from '../ports/http-client.js';
