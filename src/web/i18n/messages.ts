import type { AttemptStatus } from '../../domain/attempt-status.js';
import type { OrderStatus } from '../../domain/order-status.js';

/**
 * Every text of the customer pages, in each language Settle speaks. Amounts and times come in
 * already formatted for the language (./format.ts); the pages escape whatever they are given.
 */
export interface Messages {
  order(reference: string): string;
  orderStatus: string;
  /** The order's state in words a customer reads. */
  orderStates: Record<OrderStatus, string>;
  paid: { status: string; text(amount: string, reference: string): string };
  waiting: { status: string; text(amount: string): string };
  notPaid: { status: string; text(amount: string, reason: string): string };
  /** Why a closed attempt did not pay. */
  attemptEnded: Record<Extract<AttemptStatus, 'failed' | 'canceled' | 'expired'>, string>;
  tryAgain: string;
  tryAgainByLink: string;
  backToShop: string;
  paymentNotFound: { title: string; text: string };
  couldNotOpen: string;
  notPayableNow: string;
  link: {
    amountToPay: string;
    validUntil(time: string): string;
    pay(amount: string): string;
    notFound: { title: string; text: string };
    paid: { status: string; text: string };
    expired: { status: string; text(time: string): string };
    revoked: { status: string; text: string };
    nothingToPay: { status: string; text: string };
  };
}
