// getOrderStatusExtended.do: the one source of truth Settle applies for ArCa (callbacks only say
// "look"). Reads the answer into a ProviderEvent with the amount and currency BPC states.
import type { ProviderEvent } from '../../domain/provider-event.js';
import { ok, type Result } from '../../domain/result.js';
import type { ConnectorContext, PaymentRef } from '../../ports/connector.js';
import { notSent, type CallFailure } from '../../ports/provider-failure.js';
import type { Reading } from '../kit/provider-call.js';
import { callApi, type Answer } from './api.js';
import type { ArcaSettings } from './settings.js';
import {
  isMdOrder,
  isOrderNumber,
  mapOrderStatus,
  normalizeOrderNumber,
  readCode,
  readMinor,
  readOrderStatus,
  statedCurrency,
  type OrderAmounts,
} from './wire.js';

/** What the gateway holds for one order, read from getOrderStatusExtended.do. */
export interface OrderState {
  event: ProviderEvent;
  orderStatus: number;
  amounts: OrderAmounts;
}

/** The gateway's order id (mdOrder) of a payment, or why a call that needs it cannot be made. */
export function mdOrderOf(p: PaymentRef): Result<string, CallFailure> {
  const id = p.providerPaymentId;
  if (typeof id === 'string' && isMdOrder(id)) return ok(id);
  return notSent('reference_invalid', `Payment ${p.providerRef.slice(0, 40)} has no ArCa order id (mdOrder).`);
}

/** Asks for the order's status, by mdOrder where Settle has it, else by the orderNumber sent. */
export async function fetchOrderState(
  ctx: ConnectorContext,
  s: ArcaSettings,
  p: PaymentRef,
): Promise<Result<OrderState, CallFailure>> {
  const byId = typeof p.providerPaymentId === 'string' && isMdOrder(p.providerPaymentId);
  if (!byId && !isOrderNumber(p.providerRef))
    return notSent('reference_invalid', 'The orderNumber is not one ArCa accepts.');
  const params: Record<string, string> = byId
    ? { orderId: p.providerPaymentId as string }
    : { orderNumber: p.providerRef };
  return callApi(ctx, s, 'getOrderStatusExtended.do', params, `status check of order ${p.providerRef}`, (a) =>
    readOrderState(p.providerRef, a),
  );
}

/** The status answer as an event about `providerRef`; an answer without a readable orderStatus is unusable. */
export function readOrderState(providerRef: string, a: Answer): Reading<OrderState> {
  const orderStatus = readOrderStatus(a.orderStatus ?? a.OrderStatus);
  if (orderStatus === undefined) return { kind: 'unreadable', what: 'no readable orderStatus' };
  // The answer is about the order asked for; one naming another orderNumber is not applied to this one.
  const said = a.orderNumber ?? a.OrderNumber;
  if (typeof said === 'string' && normalizeOrderNumber(said) !== normalizeOrderNumber(providerRef))
    return { kind: 'unreadable', what: 'the status of another orderNumber' };
  const info = typeof a.paymentAmountInfo === 'object' && a.paymentAmountInfo !== null ? a.paymentAmountInfo : {};
  const pai = info as Record<string, unknown>;
  const amounts: OrderAmounts = {
    amount: readMinor(a.amount ?? a.Amount),
    approved: readMinor(pai.approvedAmount),
    deposited: readMinor(pai.depositedAmount),
    refunded: readMinor(pai.refundedAmount),
  };
  const mapped = mapOrderStatus(orderStatus, amounts);
  const currency = statedCurrency(a.currency ?? a.Currency);
  const actionCode = readCode(a.actionCode);
  const event: ProviderEvent = {
    providerRef,
    status: mapped.status,
    providerStatus: `orderStatus=${orderStatus}`,
    errorCode:
      mapped.status === 'failed' && actionCode !== undefined && actionCode !== 'unreadable' ? actionCode : null,
    ...(mapped.amount !== undefined && { amount: mapped.amount }),
    ...(currency !== undefined && { currency }),
  };
  return { kind: 'answer', value: { event, orderStatus, amounts } };
}
