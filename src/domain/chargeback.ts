/** A dispute the card holder opened: money taken back by the bank, never a refund. */
export const CHARGEBACK_STATUSES = ['opened', 'won', 'lost'] as const;
export type ChargebackStatus = (typeof CHARGEBACK_STATUSES)[number];

export interface Chargeback {
  id: string;
  orderId: string;
  attemptId: string;
  amount: number;
  currency: string;
  reasonCode: string;
  status: ChargebackStatus;
  /** Who reported it: an operator through the API, or the provider. */
  source: 'api' | 'provider';
  /** The provider's id for the dispute, when it reported one. */
  providerRef: string | null;
  note: string | null;
  actor: string;
  createdAt: string;
  updatedAt: string;
}

/** A dispute opens once and then is decided once: won and lost are final. */
export function canMoveChargeback(from: ChargebackStatus, to: ChargebackStatus): boolean {
  return from === 'opened' && (to === 'won' || to === 'lost');
}
