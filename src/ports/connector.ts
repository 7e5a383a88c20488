import type { ReportBatch } from './report-reader.js';
import type { NextStep } from '../domain/order.js';
import type { ProviderEvent } from '../domain/provider-event.js';
import type { ProviderNotice } from '../domain/provider-notice.js';
import type { Result } from '../domain/result.js';
import type { HttpClient } from './http-client.js';
import type { CallFailure } from './provider-failure.js';

// Moved to ./http-client.js; kept here for the parts that still import them from this file.
export type { HttpClient, HttpRequest, HttpResponse } from './http-client.js';

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
 * callback_signature_invalid, and for its calls to the provider a CallFailure (provider_error,
 * provider_answer_invalid, provider_unreachable, with what each says about the outcome).
 * Optional abilities are optional methods. Built on src/connectors/kit/.
 */
export interface Connector<S = unknown> {
  readonly id: string;
  readonly title: string;
  /** JSON schema of the settings a payment method is created with (secrets included, marked `writeOnly`). */
  readonly settingsSchema: JsonSchema;
  /** Settings fields that are secrets (derived from the schema): encrypted at rest, masked in every answer. */
  readonly secretFields: readonly string[];
  /** Validates settings (beyond the schema) and wraps secret fields as Secret. */
  parseSettings(input: Record<string, unknown>): Result<S>;
  /** The id the provider will know attempt number `n` (1-based) of this order by. */
  providerRef(orderReference: string, n: number): Result<string>;
  /** Compares provider references as the provider does (acquiring-v1: without regard to case). */
  normalizeRef(providerRef: string): string;
  startPayment(input: StartPaymentInput<S>, ctx: ConnectorContext): Promise<Result<NextStep, CallFailure>>;
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
  ): Promise<Result<ProviderEvent, CallFailure>>;
  cancel?(
    settings: S,
    input: { providerRef: string; amount: number; currency: string },
    ctx: ConnectorContext,
  ): Promise<Result<ProviderEvent, CallFailure>>;
  /**
   * Returns money from a paid attempt. `refundId` is Settle's id for the refund, sent as the
   * provider's idempotency key, so a refund sent again after no answer is not paid twice.
   * A connector without it gets refunds recorded as to be paid out by hand.
   */
  refund?(
    settings: S,
    input: { providerRef: string; refundId: string; amount: number; currency: string },
    ctx: ConnectorContext,
  ): Promise<Result<{ providerRef: string }, CallFailure>>;
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

type Ability<S, K extends keyof Connector<S>> =
  NonNullable<Connector<S>[K]> extends (settings: S, input: infer I, ctx: ConnectorContext) => infer R
    ? (input: I) => R
    : never;

/**
 * A payment method's connector with its parsed settings and a timed HTTP client bound once, when
 * the method is loaded: each method takes only the call's own input. Optional abilities stay
 * optional, so "the connector has no refund call" is still a missing method.
 */
export interface BoundConnector {
  readonly id: string;
  readonly title: string;
  providerRef: Connector['providerRef'];
  normalizeRef: Connector['normalizeRef'];
  startPayment(input: Omit<StartPaymentInput<unknown>, 'settings'>): Promise<Result<NextStep, CallFailure>>;
  parseCallback(req: RawRequest): Result<ProviderNotice>;
  redactCallback: Connector['redactCallback'];
  callbackAcknowledgement: Connector['callbackAcknowledgement'];
  checkStatus?: Ability<unknown, 'checkStatus'>;
  cancel?: Ability<unknown, 'cancel'>;
  refund?: Ability<unknown, 'refund'>;
  parseReport?: Connector['parseReport'];
  fetchReport?: Ability<unknown, 'fetchReport'>;
}
