// The one way a connector calls its provider: it sends the request through the bound HTTP
// client and decides what a failure says about the outcome, so no connector decides it again.
import type { Result } from '../../domain/result.js';
import { ProviderUnreachable, type HttpClient, type HttpRequest, type HttpResponse } from '../../ports/http-client.js';
import { answerInvalid, refused, unreachable, type CallFailure } from '../../ports/provider-failure.js';

/** What a connector read in an answer: the value, a refusal the provider stated, or nothing usable. */
export type Reading<T> =
  | { kind: 'answer'; value: T }
  | { kind: 'refused'; message: string; details?: Record<string, unknown> }
  /** `what` completes "answered … (HTTP 200) with …", e.g. 'a body that is not {"status": "..."}'. */
  | { kind: 'unreadable'; what: string };

export interface ProviderCall<T> {
  request: HttpRequest;
  /** Who answers, as a sentence starts: "The acquirer". */
  provider: string;
  /** What is asked, never the URL (it may carry a signature): "status check of order fd-1240". */
  what: string;
  /**
   * Which HTTP statuses carry an answer to read (default 2xx). Any other is an answer that could
   * not be read; a 5xx never is read, whatever this says: a gateway's error page says nothing of
   * whether the provider did what was asked.
   */
  reads?: (status: number) => boolean;
  read(res: HttpResponse): Reading<T>;
}

const is2xx = (status: number) => status >= 200 && status <= 299;

/**
 * Sends one request and reads its answer. Failures: no answer (timeout, refused connection) is
 * provider_unreachable; an HTTP status that carries no answer, or an answer `read` cannot use,
 * is provider_answer_invalid (both of unknown outcome); a refusal `read` found is provider_error.
 * Messages name the provider and the question, never the URL. Only bugs throw.
 */
export async function callProvider<T>(http: HttpClient, call: ProviderCall<T>): Promise<Result<T, CallFailure>> {
  const { provider, what } = call;
  let res: HttpResponse;
  try {
    res = await http.request(call.request);
  } catch (err) {
    if (!(err instanceof ProviderUnreachable)) throw err;
    const why = err.reason === 'timeout' ? 'did not answer in time' : 'could not be reached';
    return unreachable(`${provider} ${why} for the ${what}.`, { reason: err.reason });
  }
  const httpStatus = res.status;
  if (httpStatus >= 500 || !(call.reads ?? is2xx)(httpStatus)) {
    return answerInvalid(`${provider} answered the ${what} with HTTP ${httpStatus}.`, { httpStatus });
  }
  let reading: Reading<T>;
  try {
    reading = call.read(res);
  } catch {
    reading = { kind: 'unreadable', what: 'a body it could not read' };
  }
  switch (reading.kind) {
    case 'answer':
      return { ok: true, value: reading.value };
    case 'refused':
      return refused(reading.message, reading.details);
    case 'unreadable':
      return answerInvalid(`${provider} answered the ${what} (HTTP ${httpStatus}) with ${reading.what}.`, {
        httpStatus,
      });
  }
}

/** A JSON object's string field, or undefined when the body is not such an object. */
export function jsonStringField(body: string, field: string, max: number): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const value = (v as Record<string, unknown>)[field];
    return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
  } catch {
    return undefined;
  }
}
