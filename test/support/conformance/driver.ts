import type { NextStep } from '../../../src/domain/order.js';

/**
 * What the conformance suite (./suite.ts) needs from one connector and its sandbox. Every
 * connector has one driver beside the suite (./<connector>.ts) and one test file under
 * test/flows/conformance/ that runs the suite with it, on whichever store DATABASE_URL names.
 *
 * The driver plays only the provider's side, through the connector's own sandbox over HTTP:
 * everything Settle does is reached through its public API, callback address and return pages.
 */
export interface ConformanceDriver {
  /** The connector id under test. */
  connector: string;
  /** A currency the provider takes, and one it takes too but differently (for a currency mismatch), if any. */
  currency: string;
  otherCurrency?: string;
  /** The connector's abilities; the suite tests each one it has, and the refusal of each it lacks. */
  abilities: { checkStatus: boolean; cancel: boolean; refund: boolean };
  /**
   * How a payment gets confirmed: `callback` (a signed callback, or a trigger and a status check),
   * or `return` (no callback at all: the return page and the janitor check the status).
   */
  confirmation: 'callback' | 'return';
  /** The provider gives its own payment id when the payment starts (stored as provider_payment_id). */
  assignsId: boolean;
  /** How attempts are named: the order's reference (a suffix for retries), or numbers from a range. */
  references: 'order' | 'numbered';
  /** What a payment is applied on: its signed callback, or a status check (a trigger, a return). */
  verifiedBy: 'signature' | 'status_check';
  /** Whether Settle learns of a decline (a callback or a status check); Idram tells nothing. */
  declineTold: boolean;
  /** The next step's type. */
  nextStep: NextStep['type'];
  /** Whether a signed callback carries the amount (then a mismatch comes by callback, else by status check). */
  signsAmount: boolean;
  /**
   * Callbacks are unsigned triggers (BPC without a checksum key): a forged one is taken as a
   * trigger, logged unverified, and moves nothing, since only the status check is applied.
   */
  unsignedTriggers?: boolean;
  /** Whether a pre-check (question) comes before the confirmation (Idram). */
  precheck: boolean;
  /** Secret setting values: the suite checks none appears in any answer or the callback log. */
  secrets: readonly string[];
  /** Starts the sandbox on 127.0.0.1, port 0. */
  start(): Promise<ConformanceSandbox>;
}

/** A payment as the suite knows it, from Settle's API. */
export interface SandboxPayment {
  providerRef: string;
  providerPaymentId: string | null;
  amount: number;
  currency: string;
  next: NextStep;
}

export interface ConformanceSandbox {
  /** The settings of a payment method pointed at this sandbox (secrets included). */
  settings(): Record<string, unknown>;
  /**
   * Tells the sandbox the method's addresses, once the method exists: where callbacks go and,
   * for providers whose return address is fixed in their cabinet, where customers come back.
   */
  bind(input: { paymentMethodId: string; settleUrl: string }): void;
  /** The customer opens the next step (the provider now knows the payment) and leaves without paying. */
  open(p: SandboxPayment): Promise<void>;
  /**
   * The customer opens the next step and pays. Callbacks go out as the provider sends them (after
   * the pre-check, where there is one); resolves once the first callback try has been answered.
   * Returns the URL the customer's browser is sent back to (the suite opens it).
   */
  pay(p: SandboxPayment): Promise<{ returnUrl: string | null }>;
  /** The customer's card is declined; as `pay` otherwise. */
  decline(p: SandboxPayment): Promise<{ returnUrl: string | null }>;
  /**
   * Misbehaviour for one payment (or all with `*`): the kit's switches (duplicate, drop,
   * staleAfter, delayMs, timeoutMs, apiHttpStatus) and two the suite needs from every sandbox:
   * report another amount or currency than the one paid, in the signed callback or the status.
   */
  setSwitches(p: SandboxPayment | '*', switches: ConformanceSwitches): void;
  /** Sends one callback for the payment with a wrong signature; resolves with Settle's HTTP status. */
  forge(p: SandboxPayment): Promise<number>;
  /** What the provider holds for the payment. */
  state(p: SandboxPayment): { status: 'open' | 'paid' | 'declined' | 'canceled'; refunded: number } | undefined;
  /** Resolves when no callback delivery or retry is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceSwitches {
  duplicate?: boolean;
  drop?: boolean;
  staleAfter?: true;
  delayMs?: number;
  timeoutMs?: number;
  apiHttpStatus?: number;
  /** The provider reports this amount (minor units) as paid, in its callback and its status answer. */
  reportAmount?: number;
  /** The provider reports this currency (ISO 4217 alphabetic). */
  reportCurrency?: string;
}
