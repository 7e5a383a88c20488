/** A claimed Idempotency-Key and, once the first request finished, the answer it gave. */
export interface IdempotencyRecord {
  /** The API key and the Idempotency-Key header together. */
  scopeKey: string;
  requestHash: string;
  /** Null while the first request is still being handled. */
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
}
