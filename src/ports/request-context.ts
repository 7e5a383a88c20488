/**
 * The request being served, if any. Use cases read it to stamp what they write (the outbox
 * messages a request produced carry its id) without every use case taking a request id
 * parameter. Outside a request (the worker, the janitor, the CLI) there is none.
 */
export interface RequestContext {
  requestId(): string | null;
}

export const noRequestContext: RequestContext = { requestId: () => null };
