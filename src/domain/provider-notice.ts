import type { ChargebackStatus } from './chargeback.js';
import type { ProviderEvent } from './provider-event.js';

/** A dispute the provider reports on a payment: its own record; the payment's status does not move. */
export interface ChargebackNotice {
  /** The provider's id for the dispute. */
  ref: string;
  amount: number;
  reasonCode: string;
  status: ChargebackStatus;
}

/**
 * What one callback says, by kind. Every kind names the payment by a reference the provider uses
 * for it (the one Settle sent or the provider's own id) and keeps the provider's word for the log.
 * - `payment`: a verified status with, where the provider signs them, amount and currency.
 * - `chargeback`: a verified dispute on a payment.
 * - `trigger`: "look at this payment" with no amount Settle could trust (BPC: the checksum covers
 *   no amount, and without a key nothing is signed). Settle runs the status check and applies
 *   that; `verified` says whether the trigger itself was signed.
 * - `question`: a pre-check the provider asks before taking the money (Idram): answered from
 *   Settle's data, changes nothing. `refusal` is the connector's own reason to say no (a request
 *   for another merchant account), before Settle's data is looked at.
 */
export type ProviderNotice =
  | { kind: 'payment'; event: ProviderEvent }
  | { kind: 'chargeback'; providerRef: string; providerStatus: string; chargeback: ChargebackNotice }
  | { kind: 'trigger'; providerRef: string; providerStatus: string; verified: boolean }
  | {
      kind: 'question';
      providerRef: string;
      providerStatus: string;
      amount: number;
      currency: string;
      refusal?: string;
    };

/** The payment a notice is about and the provider's word, as the callback log keeps them. */
export function noticeSubject(notice: ProviderNotice): { providerRef: string; providerStatus: string } {
  const { providerRef, providerStatus } = notice.kind === 'payment' ? notice.event : notice;
  return { providerRef, providerStatus };
}
