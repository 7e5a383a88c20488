import { ABILITY_NAMES, type AbilityName } from '../domain/abilities.js';
import type { ReportBatch } from './report-reader.js';
import type { CallbackOutcome } from '../domain/callback-record.js';
import type { NextStep } from '../domain/order.js';
import type { ProviderEvent } from '../domain/provider-event.js';
import type { PrecheckRefusal } from '../domain/precheck.js';
import type { ProviderNotice } from '../domain/provider-notice.js';
import type { Result } from '../domain/result.js';
import type { HttpClient } from './http-client.js';
import type { CallFailure } from './provider-failure.js';

export type JsonSchema = Record<string, unknown>;

/** An inbound provider request exactly as it came: nothing is parsed or trusted before verification. */
export interface RawRequest {
  method: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The query string as sent, without the leading "?". */
  rawQuery: string;
  body: Buffer;
  /**
   * The peer's address as the socket gives it (Settle trusts no forwarding header), for providers
   * known by address (YooKassa's notification_ips). Behind a proxy it is the proxy's.
   */
  remoteAddress?: string;
  /**
   * The path segment after the payment method's callback route, for providers that post each
   * kind of notice to its own address (CloudPayments: /callbacks/{method}/pay). Undefined on
   * the route itself.
   */
  subpath?: string;
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
  /** The reference Settle sends for this attempt (see `references`). */
  providerRef: string;
  /** The store's order number, for descriptions. */
  orderReference: string;
  /** A line the customer sees on the payment page ("Order 1042"). */
  description: string;
  amount: number;
  currency: string;
  callbackUrl: string;
  /** Where the customer comes back to: Settle's return page of this attempt. */
  returnUrl: string;
  customerEmail?: string;
}

/** What starting a payment gave: the customer's next step and the provider's id, when it assigns one. */
export interface StartedPayment {
  next: NextStep;
  providerPaymentId?: string;
}

/**
 * How attempts are named at the provider. `suffix`: `providerRef(reference, n)` (the order's
 * reference for attempt 1, a suffix after). `counter`: integers handed out once each from the
 * range, across processes and restarts, from a counter under `key` (Ameria's OrderID).
 */
export type ReferenceScheme = { kind: 'suffix' } | { kind: 'counter'; key: string; from: number; to: number };

/** One payment as the provider knows it: every reference Settle holds for it, and what it was made out for. */
export interface PaymentRef {
  providerRef: string;
  providerPaymentId?: string | null;
  amount: number;
  currency: string;
}

export interface RefundInput {
  payment: PaymentRef;
  /** Settle's id for the refund: the provider's idempotency key where it has one. */
  refundId: string;
  amount: number;
  /** What had been refunded of this payment before this refund (succeeded refunds). */
  refundedBefore: number;
  /** True when sent again after no answer: a provider without idempotency keys checks first. */
  resend: boolean;
}

/** The provider took the refund: done (`succeeded`), or accepted and not finished yet (`pending`). */
export interface RefundAnswer {
  status: 'succeeded' | 'pending';
  providerRef: string | null;
}

/** What Settle replies to a callback, decided after the commit. */
export type CallbackReply = (
  | { kind: 'committed'; outcome: CallbackOutcome }
  /** A question (pre-check) answered: `accepted` is yes, the payment may go ahead; `refusal` says why not. */
  | { kind: 'answered'; accepted: boolean; reason: string; refusal?: PrecheckRefusal }
) & {
  /** The reference the notice named, for answers that repeat it (Robokassa's `OK{InvId}`). */
  providerRef?: string;
};

export interface CallbackResponse {
  status: number;
  contentType: string;
  body: string;
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
  /** The currencies the provider takes, when it takes only some (ISO 4217 alphabetic). */
  readonly currencies?: readonly string[];
  /**
   * The notice kinds the provider posts each to its own address under the method's callback
   * route (`/callbacks/{method}/{kind}`, CloudPayments). Without it only the route itself is
   * answered; any other sub-path is a 404, never read.
   */
  readonly callbackKinds?: readonly string[];
  /**
   * `startPayment` makes no call to the provider: it builds and signs the customer's next step
   * here (a payment page URL or a form). Settle then builds it inside the attempt's own
   * transaction, so the attempt is committed with its next step, one transaction fewer; the
   * bound connector's HTTP client refuses every call from it.
   */
  readonly startsLocally?: boolean;
  /** Validates settings (beyond the schema) and wraps secret fields as Secret. */
  parseSettings(input: Record<string, unknown>): Result<S>;
  /** How attempts are named; without it, `suffix`. */
  references?(settings: S): ReferenceScheme;
  /** The id the provider will know attempt number `n` (1-based) of this order by (the `suffix` scheme). */
  providerRef(orderReference: string, n: number): Result<string>;
  /** Compares provider references as the provider does (acquiring-v1: without regard to case). */
  normalizeRef(providerRef: string): string;
  startPayment(input: StartPaymentInput<S>, ctx: ConnectorContext): Promise<Result<StartedPayment, CallFailure>>;
  /** Verifies and reads a callback. Never throws for any input. */
  parseCallback(settings: S, req: RawRequest): Result<ProviderNotice>;
  /** The callback as it may be stored: secrets and signatures redacted. Never throws. */
  redactCallback(req: RawRequest): RedactedRequest;
  /** What the provider expects back, once a callback is committed or a question answered. */
  callbackResponse(reply: CallbackReply): CallbackResponse;
  /**
   * The reference a customer's return request names, for a provider whose return address is
   * fixed at the provider (Idram's SUCCESS_URL). Only finds the page to show; nothing is applied.
   */
  returnReference?(req: RawRequest): string | undefined;
  checkStatus?(settings: S, input: PaymentRef, ctx: ConnectorContext): Promise<Result<ProviderEvent, CallFailure>>;
  /** Cancels a payment not yet paid; answers the status after it. */
  cancel?(settings: S, input: PaymentRef, ctx: ConnectorContext): Promise<Result<ProviderEvent, CallFailure>>;
  /** Takes `amount` of a held payment (BPC deposit.do); answers the status after it. */
  capture?(
    settings: S,
    input: PaymentRef & { captureAmount: number },
    ctx: ConnectorContext,
  ): Promise<Result<ProviderEvent, CallFailure>>;
  /** Releases a held payment (BPC reverse.do); answers the status after it. */
  void?(settings: S, input: PaymentRef, ctx: ConnectorContext): Promise<Result<ProviderEvent, CallFailure>>;
  /**
   * Returns money from a paid attempt. A refund sent again after no answer must not be paid
   * twice: under the same idempotency key, or after a status check shows it was not made.
   * A connector without it gets refunds recorded as to be paid out by hand.
   */
  refund?(settings: S, input: RefundInput, ctx: ConnectorContext): Promise<Result<RefundAnswer, CallFailure>>;
  /**
   * Reads the provider's own report format in batches. A connector without it has its reports
   * read as CSV through the payment method's report mapping.
   */
  parseReport?(input: AsyncIterable<Uint8Array>): AsyncIterable<ReportBatch>;
  /** Fetches the provider's report of one day (YYYY-MM-DD), as bytes, for the scheduled daily run. */
  fetchReport?(
    settings: S,
    input: { date: string },
    ctx: ConnectorContext,
  ): Promise<Result<{ name: string; body: Uint8Array }, CallFailure>>;
}

/** The method behind each optional ability. */
const ABILITY_METHODS = {
  check_status: 'checkStatus',
  cancel: 'cancel',
  capture: 'capture',
  void: 'void',
  refund: 'refund',
  fetch_report: 'fetchReport',
} as const satisfies Record<AbilityName, keyof Connector>;

/** The abilities a connector has, in a stable order. */
export function abilitiesOf(c: Pick<Connector, (typeof ABILITY_METHODS)[AbilityName]>): AbilityName[] {
  return ABILITY_NAMES.filter((name) => typeof c[ABILITY_METHODS[name]] === 'function');
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
  readonly currencies?: readonly string[];
  readonly callbackKinds?: readonly string[];
  readonly startsLocally?: boolean;
  references(): ReferenceScheme;
  providerRef: Connector['providerRef'];
  normalizeRef: Connector['normalizeRef'];
  startPayment(input: Omit<StartPaymentInput<unknown>, 'settings'>): Promise<Result<StartedPayment, CallFailure>>;
  parseCallback(req: RawRequest): Result<ProviderNotice>;
  redactCallback: Connector['redactCallback'];
  callbackResponse: Connector['callbackResponse'];
  returnReference?: Connector['returnReference'];
  checkStatus?: Ability<unknown, 'checkStatus'>;
  cancel?: Ability<unknown, 'cancel'>;
  capture?: Ability<unknown, 'capture'>;
  void?: Ability<unknown, 'void'>;
  refund?: Ability<unknown, 'refund'>;
  parseReport?: Connector['parseReport'];
  fetchReport?: Ability<unknown, 'fetchReport'>;
}
