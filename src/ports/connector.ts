import type { ReportBatch } from './report-reader.js';
import type { NextStep } from '../domain/order.js';
import type { ProviderEvent } from '../domain/provider-event.js';
import type { ProviderNotice } from '../domain/provider-notice.js';
import type { Result } from '../domain/result.js';

export type JsonSchema = Record<string, unknown>;

/** An inbound provider request exactly as it came: nothing is parsed or trusted before verification. */
export interface RawRequest {
  method: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The query string as sent, without the leading "?". */
  rawQuery: string;
  body: Buffer;
}

/** The part of a callback kept in the callback log, with the connector's secrets redacted. */
export interface RedactedRequest {
  method: string;
  headers: Record<string, string>;
  query: string;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP client for every connector: it enforces a timeout and returns a value for every
 * answer; it throws only `ProviderUnreachable` (connection refused, reset, timeout).
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface ConnectorContext {
  http: HttpClient;
}

export interface StartPaymentInput<S> {
  settings: S;
  providerRef: string;
  amount: number;
  currency: string;
  callbackUrl: string;
  returnUrl: string;
}

/**
 * A provider integration. Stateless: one input in, one output or a Failure out. Failure codes a
 * connector uses: settings_invalid, reference_invalid, callback_malformed,
 * callback_signature_invalid, provider_unreachable, provider_error, provider_answer_invalid.
 * Optional abilities are optional methods.
 */
export interface Connector<S = unknown> {
  readonly id: string;
  readonly title: string;
  /** JSON schema of the settings a payment method is created with (secrets included). */
  readonly settingsSchema: JsonSchema;
  /** Settings fields that are secrets: encrypted at rest, masked in every answer. */
  readonly secretFields: readonly string[];
  /** Validates settings (beyond the schema) and wraps secret fields as Secret. */
  parseSettings(input: Record<string, unknown>): Result<S>;
  /** The id the provider will know attempt number `n` (1-based) of this order by. */
  providerRef(orderReference: string, n: number): Result<string>;
  /** Compares provider references as the provider does (acquiring-v1: without regard to case). */
  normalizeRef(providerRef: string): string;
  startPayment(input: StartPaymentInput<S>, ctx: ConnectorContext): Promise<Result<NextStep>>;
  /** Verifies and reads a callback. Never throws for any input. */
  parseCallback(settings: S, req: RawRequest): Result<ProviderNotice>;
  /** The callback as it may be stored: secrets and signatures redacted. Never throws. */
  redactCallback(req: RawRequest): RedactedRequest;
  /** What the provider expects back once a callback is committed (applied, duplicate, stale, ignored). */
  callbackAcknowledgement(): { status: number; contentType: string; body: string };
  checkStatus?(
    settings: S,
    input: { providerRef: string; amount: number; currency: string },
    ctx: ConnectorContext,
  ): Promise<Result<ProviderEvent>>;
  cancel?(
    settings: S,
    input: { providerRef: string; amount: number; currency: string },
    ctx: ConnectorContext,
  ): Promise<Result<ProviderEvent>>;
  /**
   * Returns money from a paid attempt. `refundId` is Settle's id for the refund, sent as the
   * provider's idempotency key, so a refund sent again after no answer is not paid twice.
   * A connector without it gets refunds recorded as to be paid out by hand.
   */
  refund?(
    settings: S,
    input: { providerRef: string; refundId: string; amount: number; currency: string },
    ctx: ConnectorContext,
  ): Promise<Result<{ providerRef: string }>>;
  /**
   * Reads the provider's own report format in batches. A connector without it has its reports
   * read as CSV through the payment method's report mapping.
   */
  parseReport?(input: AsyncIterable<Uint8Array>): AsyncIterable<ReportBatch>;
  /** Fetches the provider's report of one day (YYYY-MM-DD), for the scheduled daily run. */
  fetchReport?(
    settings: S,
    input: { date: string },
    ctx: ConnectorContext,
  ): Promise<Result<{ name: string; body: string }>>;
}
