// The sandbox's answers to GetPaymentDetails, ConfirmPayment, CancelPayment and RefundPayment, as
// the protocol document describes them and as the live gateway was observed to fill them.
import { currencyNumeric, isCurrency } from '../../domain/currency.js';
import { formatDecimal } from '../../domain/money.js';
import { SANDBOX_CODES, type SandboxPayment } from './sandbox-book.js';
import { ORDER_STATUSES, readAmount } from './wire.js';

export type OperationAnswer = { ResponseCode: string; ResponseMessage: string; Opaque: string };

/** What a status answer reports instead of the truth (the reportAmount / reportCurrency switches). */
export interface Report {
  amount?: number;
  currency?: string;
}

/** CancelPayment reverses a payment taken only this long after InitPayment (the document: 72 hours). */
export const CANCEL_WINDOW_MS = 72 * 60 * 60 * 1000;

const PROCESSOR_TEXT: Record<number, string> = {
  0: 'Payment started',
  1: 'Approved. - Payment pre-authorized',
  2: 'Approved. - Payment post authorized',
  3: 'Payment canceled',
  4: 'Approved. - Refunded payment back to client card',
  5: 'Authorization via ACS',
  6: 'Declined',
};

/** The failed lookup: every field present, strings empty, amounts 0, ResponseCode "550" (observed). */
export function lookupFailed(): Record<string, unknown> {
  return {
    Amount: 0,
    ApprovedAmount: 0,
    DepositedAmount: 0,
    RefundedAmount: 0,
    Currency: '',
    DateTime: '',
    Description: 'System Error',
    MDOrderID: '',
    OrderID: '',
    OrderStatus: '',
    PaymentState: '',
    PaymentType: 5,
    ResponseCode: SANDBOX_CODES.lookupFailed,
    Opaque: '',
    TrxnDescription: '',
  };
}

/** GetPaymentDetails of one payment, with what the switches make it report. */
export function detailsAnswer(p: SandboxPayment, report: Report = {}): Record<string, unknown> {
  const currency = report.currency ?? p.currency;
  const shown = isCurrency(currency) ? currency : p.currency;
  const major = (minor: number) => Number(formatDecimal(minor, shown));
  const amount = report.amount ?? p.amount;
  const approved = report.amount !== undefined && p.approved > 0 ? report.amount : p.approved;
  const deposited =
    report.amount !== undefined && p.deposited > 0 ? Math.max(report.amount - p.refunded, 0) : p.deposited;
  return {
    Amount: major(amount),
    ApprovedAmount: major(approved),
    DepositedAmount: major(deposited),
    RefundedAmount: major(p.refunded),
    Currency: currencyNumeric(currency) ?? currency,
    DateTime: new Date(p.initAt).toISOString(),
    Description: PROCESSOR_TEXT[p.orderStatus],
    MDOrderID: p.paymentId.toLowerCase(),
    OrderID: String(p.orderId),
    OrderStatus: String(p.orderStatus),
    PaymentState: ORDER_STATUSES[p.orderStatus],
    PaymentType: 5,
    ResponseCode: p.responseCode,
    Opaque: p.opaque,
    TrxnDescription: p.description,
  };
}

const answer = (p: SandboxPayment, code: string, message: string): OperationAnswer => ({
  ResponseCode: code,
  ResponseMessage: message,
  Opaque: p.opaque,
});

/** ConfirmPayment: takes up to the held amount of a held payment. */
export function confirm(p: SandboxPayment, rawAmount: unknown): OperationAnswer {
  if (p.orderStatus !== 1)
    return answer(p, SANDBOX_CODES.impossible, 'Deposit is impossible for current transaction state');
  const amount = readAmount(rawAmount, p.currency);
  if (amount === undefined || amount <= 0 || amount > p.approved)
    return answer(p, String(SANDBOX_CODES.amount), 'Payment sum error');
  p.orderStatus = 2;
  p.deposited = amount;
  return answer(p, '00', 'Success');
}

/**
 * CancelPayment: releases a hold, or reverses a payment taken and not refunded within the
 * window. Anything else is refused as the live gateway refused a refunded payment ("07").
 */
export function cancel(p: SandboxPayment, now: number): OperationAnswer {
  const held = p.orderStatus === 1;
  const reversible = p.orderStatus === 2 && p.refunded === 0 && now - p.initAt <= CANCEL_WINDOW_MS;
  if (!held && !reversible)
    return answer(p, SANDBOX_CODES.impossible, 'Reversal is impossible for current transaction state');
  p.orderStatus = 3;
  p.deposited = 0;
  return answer(p, '00', 'Success');
}

/** RefundPayment: partial, repeatable, never beyond what is still deposited. */
export function refund(p: SandboxPayment, rawAmount: unknown): OperationAnswer {
  if (p.orderStatus !== 2 && p.orderStatus !== 4)
    return answer(p, SANDBOX_CODES.impossible, 'Refund is impossible for current transaction state');
  const amount = readAmount(rawAmount, p.currency);
  if (amount === undefined || amount <= 0) return answer(p, String(SANDBOX_CODES.amount), 'Payment sum error');
  if (amount > p.deposited) return answer(p, SANDBOX_CODES.impossible, 'Refund amount exceeds deposited amount');
  p.deposited -= amount;
  p.refunded += amount;
  p.orderStatus = 4;
  return answer(p, '00', 'Success');
}

/** A write operation on a payment the caller may not touch. */
export function notAuthorized(p: SandboxPayment | undefined): OperationAnswer {
  return {
    ResponseCode: String(SANDBOX_CODES.wrongCredentials),
    ResponseMessage: 'Incorrect Username and Password',
    Opaque: p?.opaque ?? '',
  };
}
