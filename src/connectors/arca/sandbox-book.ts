// The sandbox gateway's memory: merchants (API login, callback URLs and keys) and the orders they
// registered, with the state changes BPC documents: register (orderNumber unique per merchant),
// pay or decline, reverse, deposit, refund (partial, never beyond what was deposited).
import { randomUUID } from 'node:crypto';
import { Secret } from '../../domain/secret.js';
import { isHttpUrl } from '../kit/sandbox/server.js';
import { sandboxKeys, type SandboxKeys } from './sandbox-keys.js';

export interface SandboxMerchant {
  /** The API login (userName) and its password. */
  username: string;
  password: string;
  /** Where callbacks go (set at the gateway per merchant); each try goes to one picked at random. */
  callbackUrl: string | string[];
  /** Sign callbacks with HMAC-SHA256 under this key. */
  hmacKey?: string;
  /** Sign callbacks with RSA/SHA-512 (a key pair is made; see `keys`). Takes precedence over hmacKey. */
  rsa?: boolean;
  /** The key pair to sign with, instead of a new one (so its public half can be configured first). */
  keys?: SandboxKeys;
}

export interface Merchant {
  username: string;
  password: Secret;
  callbackUrls: string[];
  hmacKey: Secret | undefined;
  keys: SandboxKeys | undefined;
}

/** One order as the gateway holds it; amounts in minor units, currency numeric as registered. */
export interface SandboxOrder {
  mdOrder: string;
  username: string;
  orderNumber: string;
  amount: number;
  currency: string;
  returnUrl: string;
  failUrl: string | undefined;
  description: string;
  language: string;
  /** register.do (false) or registerPreAuth.do (true: paying holds the money). */
  twoPhase: boolean;
  /** BPC orderStatus: 0 registered, 1 approved, 2 deposited, 3 reversed, 4 refunded, 6 declined. */
  orderStatus: number;
  approved: number;
  deposited: number;
  refunded: number;
  actionCode: number;
}

/** A refusal as the sandbox answers it: errorCode and errorMessage. */
export interface Refusal {
  errorCode: string;
  errorMessage: string;
}

/** The sandbox's own error codes (README.md): not ArCa's published list, which we could not confirm. */
export const SANDBOX_ERRORS = {
  duplicateOrderNumber: {
    errorCode: '1',
    errorMessage: 'Order number is duplicated, order with given order number is processed already',
  },
  missingParameter: { errorCode: '4', errorMessage: 'A required parameter is missing or empty' },
  accessDenied: { errorCode: '5', errorMessage: 'Access denied' },
  badValue: { errorCode: '5', errorMessage: 'A parameter has a wrong value' },
  unknownOrder: { errorCode: '6', errorMessage: 'Unregistered orderId' },
  wrongState: { errorCode: '7', errorMessage: 'The operation is impossible in the current state of the order' },
  tooMuch: { errorCode: '7', errorMessage: 'The amount is more than the order allows' },
} as const satisfies Record<string, Refusal>;

const CALLBACK_URLS_MAX = 16;

export class MerchantBook {
  readonly #merchants = new Map<string, Merchant>();
  readonly #orders = new Map<string, SandboxOrder>();
  readonly #byNumber = new Map<string, string>();

  /** Adds a merchant, or replaces the one with the same user name. Throws on bad input. */
  addMerchant(m: SandboxMerchant): Merchant {
    const problem = merchantProblem(m);
    if (problem) throw new Error(`sandbox: ${problem}`);
    const merchant: Merchant = {
      username: m.username,
      password: new Secret(m.password),
      callbackUrls: typeof m.callbackUrl === 'string' ? [m.callbackUrl] : [...m.callbackUrl],
      hmacKey: m.hmacKey === undefined ? undefined : new Secret(m.hmacKey),
      keys: m.rsa ? (m.keys ?? sandboxKeys({ commonName: `ArCa sandbox ${m.username}` })) : undefined,
    };
    this.#merchants.set(m.username, merchant);
    return merchant;
  }

  merchant(username: string): Merchant | undefined {
    return this.#merchants.get(username);
  }

  /** The merchant whose login this is, or undefined (wrong user name or password). */
  login(params: Record<string, string>): Merchant | undefined {
    const m = this.#merchants.get(params.userName ?? '');
    return m && m.password.reveal() === params.password ? m : undefined;
  }

  /** The order itself (not a copy): the sandbox changes it in place. */
  order(mdOrder: string): SandboxOrder | undefined {
    return this.#orders.get(mdOrder);
  }

  orderByNumber(username: string, orderNumber: string): SandboxOrder | undefined {
    const id = this.#byNumber.get(`${username} ${orderNumber}`);
    return id === undefined ? undefined : this.#orders.get(id);
  }

  /** register.do / registerPreAuth.do: a new order, or why not. */
  register(m: Merchant, p: Record<string, string>, twoPhase: boolean): SandboxOrder | Refusal {
    const orderNumber = p.orderNumber ?? '';
    if (orderNumber === '' || (p.amount ?? '') === '' || (p.returnUrl ?? '') === '')
      return SANDBOX_ERRORS.missingParameter;
    if (!/^\d{1,12}$/.test(p.amount!) || Number(p.amount) <= 0 || !/^\d{3}$/.test(p.currency ?? '051'))
      return SANDBOX_ERRORS.badValue;
    if (!isHttpUrl(p.returnUrl) || (p.failUrl !== undefined && !isHttpUrl(p.failUrl))) return SANDBOX_ERRORS.badValue;
    if (this.orderByNumber(m.username, orderNumber)) return SANDBOX_ERRORS.duplicateOrderNumber;
    const order: SandboxOrder = {
      mdOrder: randomUUID(),
      username: m.username,
      orderNumber,
      amount: Number(p.amount),
      currency: p.currency ?? '051',
      returnUrl: p.returnUrl!,
      failUrl: p.failUrl,
      description: p.description ?? '',
      language: /^[a-z]{2}$/.test(p.language ?? '') ? p.language! : 'en',
      twoPhase,
      orderStatus: 0,
      approved: 0,
      deposited: 0,
      refunded: 0,
      actionCode: 0,
    };
    this.#orders.set(order.mdOrder, order);
    this.#byNumber.set(`${m.username} ${orderNumber}`, order.mdOrder);
    return order;
  }

  /** The order a login may act on, by orderId or orderNumber, or why not. */
  find(m: Merchant, p: Record<string, string>): SandboxOrder | Refusal {
    if (!p.orderId && !p.orderNumber) return SANDBOX_ERRORS.missingParameter;
    const order = p.orderId ? this.order(p.orderId) : this.orderByNumber(m.username, p.orderNumber!);
    if (!order || order.username !== m.username) return SANDBOX_ERRORS.unknownOrder;
    return order;
  }
}

/** The customer pays: held (two-phase) or deposited. */
export function pay(o: SandboxOrder): void {
  o.approved = o.amount;
  o.actionCode = 0;
  if (o.twoPhase) o.orderStatus = 1;
  else {
    o.deposited = o.amount;
    o.orderStatus = 2;
  }
}

export function decline(o: SandboxOrder, actionCode: number): void {
  o.orderStatus = 6;
  o.actionCode = actionCode;
}

/** reverse.do: once, of an order not deposited (registered or held). */
export function reverse(o: SandboxOrder): Refusal | undefined {
  if (o.orderStatus !== 0 && o.orderStatus !== 1) return SANDBOX_ERRORS.wrongState;
  o.orderStatus = 3;
  return undefined;
}

/** deposit.do: of a held order, at most what was approved (0 is all of it). */
export function deposit(o: SandboxOrder, amount: number): Refusal | undefined {
  if (o.orderStatus !== 1) return SANDBOX_ERRORS.wrongState;
  const take = amount === 0 ? o.approved : amount;
  if (take > o.approved) return SANDBOX_ERRORS.tooMuch;
  o.deposited = take;
  o.orderStatus = 2;
  return undefined;
}

/** refund.do: repeatable, never beyond what was deposited in total. */
export function refund(o: SandboxOrder, amount: number): Refusal | undefined {
  if (o.orderStatus !== 2 && o.orderStatus !== 4) return SANDBOX_ERRORS.wrongState;
  if (amount <= 0) return SANDBOX_ERRORS.badValue;
  if (o.refunded + amount > o.deposited) return SANDBOX_ERRORS.tooMuch;
  o.refunded += amount;
  o.orderStatus = 4;
  return undefined;
}

export function merchantProblem(m: Partial<SandboxMerchant>): string | undefined {
  if (typeof m !== 'object' || m === null) return 'a merchant must be an object';
  if (typeof m.username !== 'string' || !/^\S{1,100}$/u.test(m.username))
    return 'username must be 1 to 100 characters without spaces';
  if (typeof m.password !== 'string' || m.password.length < 1 || m.password.length > 200)
    return 'password must be 1 to 200 characters';
  const urls: unknown[] = Array.isArray(m.callbackUrl) ? m.callbackUrl : [m.callbackUrl];
  if (urls.length < 1 || urls.length > CALLBACK_URLS_MAX || !urls.every((u) => isHttpUrl(u)))
    return `callbackUrl must be an http(s) URL or a list of 1 to ${CALLBACK_URLS_MAX} of them`;
  if (m.hmacKey !== undefined && (typeof m.hmacKey !== 'string' || m.hmacKey.length < 1 || m.hmacKey.length > 256))
    return 'hmacKey must be 1 to 256 characters';
  if (m.rsa !== undefined && typeof m.rsa !== 'boolean') return 'rsa must be true or false';
  return undefined;
}
