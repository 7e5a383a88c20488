import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestContext } from '../ports/request-context.js';

// Why AsyncLocalStorage and not a requestId parameter: outbox messages are written in one place
// (app/record-events.ts), reached from some thirty use cases through several layers of helpers.
// Threading an id through every one of them would touch each signature for a value none of them
// uses. The HTTP server enters the scope once per request (src/web/request-id.ts, a preHandler
// hook, after the body is read), and record-events reads it through the RequestContext port, so
// the app layer still knows nothing of HTTP or of async_hooks.
const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` (and everything it awaits or schedules) as part of request `requestId`. */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

export const asyncRequestContext: RequestContext = {
  requestId: () => scope.getStore()?.requestId ?? null,
};
