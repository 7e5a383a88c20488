// The sandbox's sites and invoices, in memory.
import { randomInt, randomUUID } from 'node:crypto';

export interface SandboxSite {
  publicId: string;
  apiSecret: string;
  /** The notification addresses' common root: each kind is posted to `${root}/${kind}`. */
  notifyRoot?: string;
  /** Post notifications as JSON rather than a form. */
  json?: boolean;
}

export interface SandboxInvoice {
  id: string;
  publicId: string;
  invoiceId: string;
  accountId: string;
  amount: number;
  currency: string;
  description: string;
  status: 'open' | 'paid' | 'declined' | 'canceled';
  transactionId?: number;
  refunded: number;
  /** Refunds by X-Request-ID: a repeat answers as the first. */
  refunds: Map<string, number>;
}

export class SiteBook {
  readonly #sites = new Map<string, SandboxSite>();
  readonly #invoices = new Map<string, SandboxInvoice>();

  addSite(s: SandboxSite): void {
    this.#sites.set(s.publicId, { ...s });
  }

  site(publicId: string): SandboxSite | undefined {
    return this.#sites.get(publicId);
  }

  login(authorization: unknown): SandboxSite | undefined {
    if (typeof authorization !== 'string' || !authorization.startsWith('Basic ')) return undefined;
    const [id, ...rest] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    const site = id === undefined ? undefined : this.#sites.get(id);
    return site && site.apiSecret === rest.join(':') ? site : undefined;
  }

  create(i: Omit<SandboxInvoice, 'id' | 'status' | 'refunded' | 'refunds'>): SandboxInvoice {
    const invoice: SandboxInvoice = { ...i, id: randomUUID(), status: 'open', refunded: 0, refunds: new Map() };
    this.#invoices.set(invoice.id, invoice);
    return invoice;
  }

  invoice(id: string): SandboxInvoice | undefined {
    return this.#invoices.get(id);
  }

  /** The newest invoice of a site with this InvoiceId. */
  byInvoiceId(publicId: string, invoiceId: string): SandboxInvoice | undefined {
    let found: SandboxInvoice | undefined;
    for (const i of this.#invoices.values()) if (i.publicId === publicId && i.invoiceId === invoiceId) found = i;
    return found;
  }

  byTransaction(publicId: string, transactionId: unknown): SandboxInvoice | undefined {
    for (const i of this.#invoices.values())
      if (i.publicId === publicId && i.transactionId !== undefined && String(i.transactionId) === String(transactionId))
        return i;
    return undefined;
  }

  newTransactionId(): number {
    return randomInt(100_000_000, 999_999_999);
  }
}
