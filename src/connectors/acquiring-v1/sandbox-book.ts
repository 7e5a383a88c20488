// The sandbox's memory: the shops it knows and the orders their payment links opened, with the
// checks the acquirer makes on a link (known shop, valid OrderID and amount, right signature).
import { Secret } from '../../domain/secret.js';
import { isHttpUrl } from '../kit/sandbox/server.js';
import { hashEquals, isOrderId, normalizeOrderId, paymentHash } from './wire.js';

export interface SandboxShop {
  shopId: string;
  privateKey: string;
  /**
   * Where webhooks go (the acquirer's merchant-cabinet setting). Several URLs (e.g. one per
   * server behind no balancer): each try, first or retry, goes to one picked at random.
   */
  callbackUrl: string | string[];
  /** Where the browser goes after paying or declining; [OrderID] is replaced. */
  returnUrl?: string;
  /**
   * The merchant account's currency (ISO 4217; AMD by default): the protocol's payment link names
   * only an amount, so the payment page shows the amount in this.
   */
  currency?: string;
}

export interface SandboxOrder {
  shopId: string;
  /** As the shop last sent it. */
  orderId: string;
  /** As on the wire ("1500.00"). */
  amount: string;
  status: string;
}

export interface Shop {
  shopId: string;
  key: Secret;
  callbackUrls: string[];
  returnUrl: string | undefined;
  currency: string;
}

export const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const CALLBACK_URLS_MAX = 16;

export class ShopBook {
  readonly #shops = new Map<string, Shop>();
  readonly #orders = new Map<string, SandboxOrder>();

  /** Adds a shop, or replaces the one with the same id (case-insensitive). Throws on bad input. */
  addShop(shop: SandboxShop): void {
    const problem = shopProblem(shop);
    if (problem) throw new Error(`sandbox: ${problem}`);
    this.#shops.set(shop.shopId.toLowerCase(), {
      shopId: shop.shopId,
      key: new Secret(shop.privateKey),
      callbackUrls: typeof shop.callbackUrl === 'string' ? [shop.callbackUrl] : [...shop.callbackUrl],
      returnUrl: shop.returnUrl,
      currency: shop.currency ?? 'AMD',
    });
  }

  shop(shopId: string): Shop | undefined {
    return this.#shops.get(shopId.toLowerCase());
  }

  shopOrThrow(shopId: string): Shop {
    const shop = this.shop(shopId);
    if (!shop) throw new Error(`sandbox: unknown shop ${shopId}`);
    return shop;
  }

  /** The order itself (not a copy): the sandbox changes its status in place. */
  order(shopId: string, orderId: string): SandboxOrder | undefined {
    return this.#orders.get(orderKey(shopId, orderId));
  }

  /** Opens (or opens again) an order; returns it. */
  open(shop: Shop, orderId: string, amount: string): SandboxOrder {
    const order = { shopId: shop.shopId, orderId, amount, status: 'opened' };
    this.#orders.set(orderKey(shop.shopId, orderId), order);
    return order;
  }

  /** An order the customer can still pay or decline. Throws otherwise. */
  payable(shopId: string, orderId: string): { shop: Shop; order: SandboxOrder } {
    const shop = this.shopOrThrow(shopId);
    const order = this.order(shopId, orderId);
    if (!order) throw new Error(`sandbox: no order ${orderId} at shop ${shopId} (open the payment page first)`);
    if (order.status === 'executed' || order.status === 'canceled')
      throw new Error(`sandbox: order ${orderId} is ${order.status}`);
    return { shop, order };
  }

  /** The shop of a payment link, or why the acquirer refuses the link. */
  checkLink(p: Record<string, string>): { shop: Shop } | string {
    const shop = this.shop(p.shopId ?? '');
    if (!shop) return 'This shop is not known to the acquirer.';
    if (!isOrderId(p.orderId ?? '') || !AMOUNT.test(p.amount ?? '')) return 'The order number or amount is not valid.';
    if (!hashEquals(paymentHash(shop.key, p.orderId!, p.amount!), p.hash ?? ''))
      return "The payment link's signature is wrong.";
    return { shop };
  }
}

function orderKey(shopId: string, orderId: string): string {
  return `${shopId.toLowerCase()} ${normalizeOrderId(orderId)}`;
}

export function shopProblem(s: Partial<SandboxShop>): string | undefined {
  if (typeof s !== 'object' || s === null) return 'a shop must be an object';
  if (typeof s.shopId !== 'string' || !/^\S{1,32}$/u.test(s.shopId))
    return 'shopId must be 1 to 32 characters without spaces';
  if (typeof s.privateKey !== 'string' || s.privateKey.length < 1 || s.privateKey.length > 128)
    return 'privateKey must be 1 to 128 characters';
  const urls: unknown[] = Array.isArray(s.callbackUrl) ? s.callbackUrl : [s.callbackUrl];
  if (urls.length < 1 || urls.length > CALLBACK_URLS_MAX || !urls.every((u) => isHttpUrl(u, ['[OrderID]']))) {
    return `callbackUrl must be an http(s) URL or a list of 1 to ${CALLBACK_URLS_MAX} of them`;
  }
  if (s.returnUrl !== undefined && !isHttpUrl(s.returnUrl, ['[OrderID]'])) return 'returnUrl must be an http(s) URL';
  if (s.currency !== undefined && (typeof s.currency !== 'string' || !/^[A-Z]{3}$/.test(s.currency)))
    return 'currency must be an ISO 4217 code such as AMD';
  return undefined;
}
