import type { AppDeps } from './deps.js';

// The admin forms' one-time ids (admin/form-once.ts), kept as the API's idempotency records:
// claimed by the first post, answered with where it went, released only when nothing was done.

/** What the first post of a form left: its request's hash and, once answered, its status and redirect. */
export interface FormClaim {
  requestHash: string;
  /** Null while the first post is still being handled (or its server stopped). */
  responseStatus: number | null;
  /** Where the first post redirected to ('' when it showed a page instead). */
  location: string;
}

/** Claims the form's id for this request; true only for the first post, which then does the work. */
export function claimForm(deps: AppDeps, scopeKey: string, requestHash: string): Promise<boolean> {
  return deps.storage.transaction((tx) =>
    tx.claimIdempotency({
      scopeKey,
      requestHash,
      responseStatus: null,
      responseBody: null,
      createdAt: deps.clock.now().toISOString(),
    }),
  );
}

/** The committed claim of a form's id, or undefined once it was released (or never made). */
export async function readFormClaim(deps: AppDeps, scopeKey: string): Promise<FormClaim | undefined> {
  const rec = await deps.storage.read.getIdempotency(scopeKey);
  if (!rec) return undefined;
  const location = rec.responseStatus !== null && rec.responseBody ? deps.secretBox.decrypt(rec.responseBody) : '';
  return { requestHash: rec.requestHash, responseStatus: rec.responseStatus, location };
}

/** Frees the form's id, so the same form may be sent again (it was refused and recorded nothing). */
export function releaseFormClaim(deps: AppDeps, scopeKey: string): Promise<void> {
  return deps.storage.transaction((tx) => tx.releaseIdempotency(scopeKey));
}

/** Settles the claim with the answer; the redirect's target is kept encrypted, like the API's answers. */
export function completeFormClaim(deps: AppDeps, scopeKey: string, status: number, location: string): Promise<void> {
  return deps.storage.transaction((tx) => tx.completeIdempotency(scopeKey, status, deps.secretBox.encrypt(location)));
}
