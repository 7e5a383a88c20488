// The sandbox's terminals and payments, in memory: what T-Bank holds for each PaymentId, and
// the state changes its API and payment page make.
import { randomInt } from 'node:crypto';

export interface SandboxTerminal {
  terminalKey: string;
  password: string;
}

export interface SandboxPayment {
  paymentId: string;
  terminalKey: string;
  orderId: string;
  amount: number;
  description: string;
  status: string;
  /** Kopecks refunded so far. */
  refunded: number;
  notificationUrl?: string;
  successUrl?: string;
  failUrl?: string;
  /** Cancel requests by ExternalRequestId: a repeat answers the state after the first. */
  cancels: Map<string, { status: string; originalAmount: number; newAmount: number }>;
}

export class TerminalBook {
  readonly #terminals = new Map<string, SandboxTerminal>();
  readonly #payments = new Map<string, SandboxPayment>();
  readonly #byOrder = new Map<string, string>();

  addTerminal(t: SandboxTerminal): void {
    this.#terminals.set(t.terminalKey, { ...t });
  }

  terminal(key: unknown): SandboxTerminal | undefined {
    return typeof key === 'string' ? this.#terminals.get(key) : undefined;
  }

  /** A new payment (status NEW); OrderId must be new for the terminal, as T-Bank wants. */
  create(p: Omit<SandboxPayment, 'paymentId' | 'status' | 'refunded' | 'cancels'>): SandboxPayment | undefined {
    const orderKey = `${p.terminalKey}\n${p.orderId}`;
    if (this.#byOrder.has(orderKey)) return undefined;
    let paymentId: string;
    do paymentId = String(randomInt(1_000_000_000, 9_999_999_999));
    while (this.#payments.has(paymentId));
    const payment: SandboxPayment = { ...p, paymentId, status: 'NEW', refunded: 0, cancels: new Map() };
    this.#payments.set(paymentId, payment);
    this.#byOrder.set(orderKey, paymentId);
    return payment;
  }

  payment(paymentId: unknown): SandboxPayment | undefined {
    return typeof paymentId === 'string' || typeof paymentId === 'number'
      ? this.#payments.get(String(paymentId))
      : undefined;
  }

  byOrder(terminalKey: string, orderId: string): SandboxPayment | undefined {
    const id = this.#byOrder.get(`${terminalKey}\n${orderId}`);
    return id === undefined ? undefined : this.#payments.get(id);
  }
}

/** Statuses the customer can still pay from. */
export const PAYABLE = new Set(['NEW', 'FORM_SHOWED']);
