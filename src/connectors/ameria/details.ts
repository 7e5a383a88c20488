// Reading a GetPaymentDetails answer: the one source of truth about an Ameriabank payment (the
// browser's return carries nothing signed). Pure; the call itself is in vpos.ts.
import type { ProviderEvent } from '../../domain/provider-event.js';
import type { Reading } from '../kit/provider-call.js';
import {
  mapOrderStatus,
  messageText,
  normalizeOrderId,
  ORDER_STATUSES,
  readAmount,
  readCurrency,
  readOrderStatus,
  responseCodeText,
  isSuccessCode,
  type OrderStatus,
} from './wire.js';

/** What Settle reads of a payment's details. Amounts are minor units; undefined where unreadable. */
export interface PaymentDetails {
  orderStatus: OrderStatus | 'undocumented';
  /** The status as the bank said it ("2", plus the PaymentState name when it sent one). */
  providerStatus: string;
  responseCode: string;
  /** Alphabetic when known, else a marker that matches no currency. */
  currency: string;
  approved: number | undefined;
  deposited: number | undefined;
  refunded: number | undefined;
}

/**
 * The details of the payment with OrderID `orderId`, or why they cannot be used. A lookup the bank
 * refused (no OrderStatus, a ResponseCode other than "00": "550" for a wrong password, observed)
 * is a refusal; anything contradictory (another OrderID, a status that disagrees with its
 * PaymentState, a paid status without "00") is an answer that cannot be read, never a guess.
 */
export function readDetails(body: Record<string, unknown> | undefined, orderId: string): Reading<PaymentDetails> {
  if (!body) return { kind: 'unreadable', what: 'a body that is not a JSON object' };
  const code = responseCodeText(body.ResponseCode);
  if (code === undefined) return { kind: 'unreadable', what: 'no ResponseCode' };
  const status = readOrderStatus(body.OrderStatus);
  if (status === undefined) {
    if (isSuccessCode(code)) return { kind: 'unreadable', what: 'ResponseCode "00" but no OrderStatus' };
    const said = messageText(body.ResponseMessage) ?? messageText(body.Description);
    return {
      kind: 'refused',
      message: `Ameriabank did not give the details of payment ${orderId}: ResponseCode ${code}${said ? ` (${said})` : ''}.`,
      details: { errorCode: code },
    };
  }
  const answered = typeof body.OrderID === 'number' ? String(body.OrderID) : body.OrderID;
  if (typeof answered !== 'string' || normalizeOrderId(answered.trim()) !== normalizeOrderId(orderId))
    return { kind: 'unreadable', what: `the details of another OrderID than ${orderId}` };
  const state = typeof body.PaymentState === 'string' ? body.PaymentState.trim() : '';
  if (status !== 'undocumented' && state !== '' && state !== ORDER_STATUSES[status])
    return { kind: 'unreadable', what: `OrderStatus ${status} with PaymentState "${state.slice(0, 40)}"` };
  const paid = status === 2 || status === 4;
  if (paid && !isSuccessCode(code))
    return { kind: 'unreadable', what: `OrderStatus ${status} with ResponseCode ${code} instead of "00"` };
  const rawStatus = status === 'undocumented' ? String(body.OrderStatus).slice(0, 16) : String(status);
  const currency = readCurrency(body.Currency);
  return {
    kind: 'answer',
    value: {
      orderStatus: status,
      providerStatus: state === '' ? rawStatus : `${rawStatus} ${state.slice(0, 40)}`,
      responseCode: code,
      currency,
      approved: readAmount(body.ApprovedAmount, currency),
      deposited: readAmount(body.DepositedAmount, currency),
      refunded: readAmount(body.RefundedAmount, currency),
    },
  };
}

/**
 * The details as a ProviderEvent. A paid payment (2, or 4 after a refund) states as its amount
 * what the bank holds for the merchant, DepositedAmount: the remaining balance, which a refund
 * lowers (observed), so a payment first seen after a refund made elsewhere is held for a person.
 * An amount that cannot be read is -1, which never matches. A hold (1) states what is held.
 */
export function detailsEvent(d: PaymentDetails, providerRef: string): ProviderEvent {
  if (d.orderStatus === 'undocumented')
    return { providerRef, status: null, providerStatus: d.providerStatus, errorCode: null };
  const status = mapOrderStatus(d.orderStatus);
  const errorCode = status === 'failed' && !isSuccessCode(d.responseCode) ? d.responseCode : null;
  const event: ProviderEvent = { providerRef, status, providerStatus: d.providerStatus, errorCode };
  if (status === 'succeeded') return { ...event, amount: d.deposited ?? -1, currency: d.currency };
  if (status === 'authorized') return { ...event, amount: d.approved ?? -1, currency: d.currency };
  return event;
}
