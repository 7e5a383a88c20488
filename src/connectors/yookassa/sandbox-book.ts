// The sandbox's shops, payments, refunds and idempotence keys, in memory.
import { randomUUID } from 'node:crypto';

export interface SandboxShop {
  shopId: string;
  secretKey: string;
  /** The HTTP notification address set in the cabinet. */
  notificationUrl?: string;
}

export interface SandboxPayment {
  id: string;
  shopId: string;
  status: 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
  /** Minor units, and the currency it was made out in. */
  amount: number;
  currency: string;
  capture: boolean;
  description: string;
  metadata: Record<string, unknown>;
  returnUrl: string;
  cancellationReason?: string;
  refunded: number;
  createdAt: string;
}

export interface SandboxRefund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  createdAt: string;
}

export class ShopBook {
  readonly #shops = new Map<string, SandboxShop>();
  readonly #payments = new Map<string, SandboxPayment>();
  readonly #refunds = new Map<string, SandboxRefund>();
  /** Per shop and key: the request body and the answer it got (YooKassa keeps them 24 hours). */
  readonly #keys = new Map<string, { body: string; status: number; answer: unknown }>();

  addShop(s: SandboxShop): void {
    this.#shops.set(s.shopId, { ...s });
  }

  shop(shopId: string): SandboxShop | undefined {
    return this.#shops.get(shopId);
  }

  /** The shop whose Basic credentials these are, or undefined. */
  login(authorization: unknown): SandboxShop | undefined {
    if (typeof authorization !== 'string' || !authorization.startsWith('Basic ')) return undefined;
    const [id, ...rest] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    const shop = id === undefined ? undefined : this.#shops.get(id);
    return shop && shop.secretKey === rest.join(':') ? shop : undefined;
  }

  remembered(shopId: string, key: string) {
    return this.#keys.get(`${shopId}\n${key}`);
  }

  remember(shopId: string, key: string, body: string, status: number, answer: unknown): void {
    this.#keys.set(`${shopId}\n${key}`, { body, status, answer });
  }

  createPayment(p: Omit<SandboxPayment, 'id' | 'status' | 'refunded' | 'createdAt'>): SandboxPayment {
    const payment: SandboxPayment = {
      ...p,
      id: randomUUID(),
      status: 'pending',
      refunded: 0,
      createdAt: new Date().toISOString(),
    };
    this.#payments.set(payment.id, payment);
    return payment;
  }

  payment(id: string): SandboxPayment | undefined {
    return this.#payments.get(id);
  }

  byReference(shopId: string, reference: string): SandboxPayment | undefined {
    for (const p of this.#payments.values())
      if (p.shopId === shopId && p.metadata.settle_reference === reference) return p;
    return undefined;
  }

  addRefund(r: Omit<SandboxRefund, 'id' | 'status' | 'createdAt'>): SandboxRefund {
    const refund: SandboxRefund = { ...r, id: randomUUID(), status: 'succeeded', createdAt: new Date().toISOString() };
    this.#refunds.set(refund.id, refund);
    return refund;
  }
}
