// The sandbox's memory: the merchants it knows and their payments, with InitPayment's checks
// (credentials, currency, amount, an OrderID inside the merchant's range) and the payment page's
// outcome. The answers of the other operations are in sandbox-ops.ts.
import { randomUUID } from 'node:crypto';
import { currencyFromNumeric } from '../../domain/currency.js';
import { Secret } from '../../domain/secret.js';
import { isHttpUrl } from '../kit/sandbox/server.js';
import { readAmount, type OrderStatus } from './wire.js';

export interface SandboxMerchant {
  clientId: string;
  username: string;
  password: string;
  /** The OrderID range the bank assigned, both ends included. */
  orderIdFrom: number;
  orderIdTo: number;
  /** Two-stage payments: paying only holds the money (OrderStatus 1) until ConfirmPayment. */
  twoStage?: boolean;
}

export interface Merchant {
  clientId: string;
  username: string;
  password: Secret;
  orderIdFrom: number;
  orderIdTo: number;
  twoStage: boolean;
}

/** One payment as the bank holds it. Amounts in minor units of `currency` (alphabetic). */
export interface SandboxPayment {
  paymentId: string;
  clientId: string;
  orderId: number;
  currency: string;
  amount: number;
  approved: number;
  deposited: number;
  refunded: number;
  orderStatus: OrderStatus;
  responseCode: string;
  description: string;
  opaque: string;
  backUrl: string | undefined;
  /** The payment page was opened (the bank answers the details of a never attempted one with a fault). */
  attempted: boolean;
  initAt: number;
  /** The card-data session length (InitPayment's Timeout, at most 1200 s). */
  timeoutMs: number;
}

/** ResponseCodes this sandbox answers with, from Table 1 of the protocol document. */
export const SANDBOX_CODES = {
  wrongCredentials: 20,
  currency: 3,
  missing: 4,
  parameters: 5,
  amount: 50,
  notAttempted: '0-100',
  sessionTimeout: '0-2007',
  declined: '0116',
  impossible: '07',
  lookupFailed: '550',
} as const;

export const NUMERIC_CURRENCIES = ['051', '978', '840', '643'] as const;
const SESSION_MAX_S = 1200;

export type InitAnswer = { PaymentID: string; ResponseCode: number; ResponseMessage: string };

export class VposBook {
  readonly #merchants = new Map<string, Merchant>();
  readonly #payments = new Map<string, SandboxPayment>();
  readonly #byOrder = new Map<string, SandboxPayment>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Adds a merchant, or replaces the one with the same ClientID. Throws on bad input. */
  addMerchant(m: SandboxMerchant): void {
    const problem = merchantProblem(m);
    if (problem) throw new Error(`sandbox: ${problem}`);
    this.#merchants.set(m.clientId.toLowerCase(), { ...m, password: new Secret(m.password), twoStage: !!m.twoStage });
  }

  merchant(clientId: string): Merchant | undefined {
    return this.#merchants.get(clientId.toLowerCase());
  }

  /** The payment itself (not a copy), after its session timeout has been applied. */
  payment(paymentId: string): SandboxPayment | undefined {
    const p = this.#payments.get(paymentId.toUpperCase());
    if (p && p.orderStatus === 0 && this.#now() - p.initAt > p.timeoutMs) {
      p.orderStatus = 6;
      p.responseCode = SANDBOX_CODES.sessionTimeout;
    }
    return p;
  }

  paymentByOrder(clientId: string, orderId: number): SandboxPayment | undefined {
    const p = this.#byOrder.get(`${clientId.toLowerCase()} ${orderId}`);
    return p && this.payment(p.paymentId);
  }

  /** The merchant of a payment, when the user name and password are that merchant's. */
  authorized(p: SandboxPayment, username: unknown, password: unknown): Merchant | undefined {
    const m = this.merchant(p.clientId);
    return m && m.username === username && m.password.reveal() === password ? m : undefined;
  }

  /**
   * InitPayment. A repeated OrderID answers the payment already registered under it, as the live
   * gateway was observed to (ResponseCode 1, the same PaymentID, the new parameters replacing the
   * old while it is unpaid); the document's "01 Order already exists" reads as 1 in this integer field.
   */
  init(body: Record<string, unknown>): InitAnswer {
    const no = (code: number, message: string): InitAnswer => ({
      PaymentID: '',
      ResponseCode: code,
      ResponseMessage: message,
    });
    const m = typeof body.ClientID === 'string' ? this.merchant(body.ClientID) : undefined;
    if (!m || body.Username !== m.username || body.Password !== m.password.reveal())
      return no(SANDBOX_CODES.wrongCredentials, 'Incorrect Username and Password');
    const numeric = body.Currency === undefined ? '051' : body.Currency;
    if (typeof numeric !== 'string' || !(NUMERIC_CURRENCIES as readonly string[]).includes(numeric))
      return no(SANDBOX_CODES.currency, 'Incorrect Currency');
    const currency = currencyFromNumeric(numeric)!;
    const orderId = body.OrderID;
    if (orderId === undefined || typeof body.Description !== 'string' || body.Description === '')
      return no(SANDBOX_CODES.missing, 'Required parameter missed');
    if (
      typeof orderId !== 'number' ||
      !Number.isSafeInteger(orderId) ||
      orderId < m.orderIdFrom ||
      orderId > m.orderIdTo
    )
      return no(SANDBOX_CODES.parameters, `Incorrect Parameters: OrderID must be in ${m.orderIdFrom}–${m.orderIdTo}`);
    const amount = readAmount(body.Amount, currency);
    if (amount === undefined || amount <= 0) return no(SANDBOX_CODES.amount, 'Payment sum error');
    const backUrl = typeof body.BackURL === 'string' && isHttpUrl(body.BackURL) ? body.BackURL : undefined;
    const timeout = body.Timeout;
    const seconds =
      typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0 && timeout <= SESSION_MAX_S
        ? timeout
        : SESSION_MAX_S;
    const fields = {
      currency,
      amount,
      description: body.Description,
      opaque: typeof body.Opaque === 'string' ? body.Opaque : '',
      backUrl,
      timeoutMs: seconds * 1000,
    };
    const existing = this.paymentByOrder(m.clientId, orderId);
    if (existing) {
      if (existing.orderStatus === 0) Object.assign(existing, fields);
      return { PaymentID: existing.paymentId, ResponseCode: 1, ResponseMessage: 'OK' };
    }
    const p: SandboxPayment = {
      paymentId: randomUUID().toUpperCase(),
      clientId: m.clientId,
      orderId,
      ...fields,
      approved: 0,
      deposited: 0,
      refunded: 0,
      orderStatus: 0,
      responseCode: SANDBOX_CODES.notAttempted,
      attempted: false,
      initAt: this.#now(),
    };
    this.#payments.set(p.paymentId, p);
    this.#byOrder.set(`${m.clientId.toLowerCase()} ${orderId}`, p);
    return { PaymentID: p.paymentId, ResponseCode: 1, ResponseMessage: 'OK' };
  }

  /** The customer's card is accepted: held (two-stage) or taken. */
  pay(p: SandboxPayment): void {
    const twoStage = this.merchant(p.clientId)?.twoStage ?? false;
    p.orderStatus = twoStage ? 1 : 2;
    p.approved = p.amount;
    p.deposited = twoStage ? 0 : p.amount;
    p.responseCode = '00';
  }

  /** The customer's card is declined with `code`. */
  decline(p: SandboxPayment, code: string): void {
    p.orderStatus = 6;
    p.responseCode = code;
  }

  /** Where the browser goes after the page: BackURL with the four documented parameters. */
  backUrl(p: SandboxPayment): string | undefined {
    if (!p.backUrl) return undefined;
    const q = new URLSearchParams({
      orderID: String(p.orderId),
      resposneCode: p.responseCode, // sic: the bank's spelling
      // Lower case here, upper case from InitPayment: as the live gateway was observed to send it.
      paymentID: p.paymentId.toLowerCase(),
      opaque: p.opaque,
    });
    return `${p.backUrl}${p.backUrl.includes('?') ? '&' : '?'}${q.toString()}`;
  }
}

export function merchantProblem(m: Partial<SandboxMerchant>): string | undefined {
  if (typeof m !== 'object' || m === null) return 'a merchant must be an object';
  for (const f of ['clientId', 'username', 'password'] as const) {
    const v = m[f];
    if (typeof v !== 'string' || v.length === 0 || v.length > 128) return `${f} must be a string of 1..128 characters`;
  }
  const { orderIdFrom: from, orderIdTo: to } = m;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from! < 1 || from! > to!)
    return 'orderIdFrom and orderIdTo must be positive integers, from ≤ to';
  if (m.twoStage !== undefined && typeof m.twoStage !== 'boolean') return 'twoStage must be a boolean';
  return undefined;
}
