/** One outgoing HTTP exchange, as a connector or an adapter asks for it. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** Any answer, whatever its status: headers in lower case, the body as text and, for files, as bytes. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body as it came (a report in another encoding, a zip); absent from test doubles that only need text. */
  bytes?: Uint8Array;
}

/**
 * One HTTP client for every connector: it enforces a timeout and returns a value for every
 * answer; it throws only `ProviderUnreachable` (connection refused, reset, timeout).
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/**
 * The provider could not be reached or did not answer in time. Its message names only the
 * method and origin: paths, query strings and bodies may carry signatures, so they stay out.
 */
export class ProviderUnreachable extends Error {
  override readonly name = 'ProviderUnreachable';
  constructor(
    readonly reason: 'timeout' | 'network',
    message: string,
    /** The system error code when there is one (ECONNREFUSED, ENOTFOUND…). */
    readonly code?: string,
  ) {
    super(message);
  }
}
