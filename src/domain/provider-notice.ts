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
 * What one verified callback says, by kind: a payment's status, or a dispute on a payment. Both
 * name the payment by the provider's reference and keep the provider's own word for the log.
 */
export type ProviderNotice =
  | { kind: 'payment'; event: ProviderEvent }
  | { kind: 'chargeback'; providerRef: string; providerStatus: string; chargeback: ChargebackNotice };

/** The payment a notice is about and the provider's word, as the callback log keeps them. */
export function noticeSubject(notice: ProviderNotice): { providerRef: string; providerStatus: string } {
  const { providerRef, providerStatus } = notice.kind === 'payment' ? notice.event : notice;
  return { providerRef, providerStatus };
}
