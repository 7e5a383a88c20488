// The sandbox's shops and invoices, in memory.
import type { HashAlgorithm } from './wire.js';

export interface SandboxShop {
  login: string;
  password1: string;
  password2: string;
  algorithm: HashAlgorithm;
  /** The addresses fixed in the shop's technical settings. */
  resultUrl?: string;
  successUrl?: string;
  failUrl?: string;
}

export interface SandboxInvoice {
  login: string;
  invId: string;
  outSum: string;
  description: string;
  isTest: boolean;
  /** OpStateExt's State/Code: 5 opened, 10 cancelled, 100 paid. */
  state: number;
}

export class ShopBook {
  readonly #shops = new Map<string, SandboxShop>();
  readonly #invoices = new Map<string, SandboxInvoice>();

  addShop(s: SandboxShop): void {
    this.#shops.set(s.login, { ...s });
  }

  shop(login: string): SandboxShop | undefined {
    return this.#shops.get(login);
  }

  /** Opens the invoice on its first visit; a later visit finds it as it is. */
  open(i: Omit<SandboxInvoice, 'state'>): SandboxInvoice {
    const key = `${i.login}\n${i.invId}`;
    const seen = this.#invoices.get(key);
    if (seen) return seen;
    const invoice = { ...i, state: 5 };
    this.#invoices.set(key, invoice);
    return invoice;
  }

  invoice(login: string, invId: string): SandboxInvoice | undefined {
    return this.#invoices.get(`${login}\n${invId}`);
  }
}
