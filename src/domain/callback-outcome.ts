import type { ChargebackNotice } from './provider-notice.js';
import type { NewTask } from './timeline.js';

/**
 * Pure: a verified callback that names no payment started with its method. The provider really
 * says this, so a person must find out what it is about: one task, however often the provider
 * sends it again (`seenBefore`: a verified callback for the same reference was rejected already).
 */
export function decideUnmatched(input: {
  methodName: string;
  providerRef: string;
  providerStatus: string;
  seenBefore: boolean;
}): { reason: string; tasks: NewTask[] } {
  const { methodName, providerRef, providerStatus } = input;
  return {
    reason: `No payment ${providerRef} was started with this payment method.`,
    tasks: input.seenBefore
      ? []
      : [
          {
            kind: 'callback_unmatched',
            reason: `A signed callback from ${methodName} says "${providerStatus}" for ${providerRef}, which matches no payment: find the order it belongs to.`,
            orderId: null,
          },
        ],
  };
}

/** The callback log's reason for a dispute notice, whatever it changed. */
export function chargebackNoticeReason(notice: ChargebackNotice): string {
  return `Chargeback ${notice.ref}: ${notice.status}.`;
}
