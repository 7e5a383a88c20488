import type { Order } from './order.js';
import type { OrderStatus } from './order-status.js';

/** What a store status code is chosen from: the order status, or a payment status that overrides it. */
export const STORE_STATUS_KEYS = [
  'pending_payment',
  'payment_failed',
  'on_hold',
  'processing',
  'completed',
  'canceled',
  'partially_refunded',
  'refunded',
  'charged_back',
] as const;
export type StoreStatusKey = (typeof STORE_STATUS_KEYS)[number];
export type StoreStatusMap = Partial<Record<StoreStatusKey, string>>;

/**
 * The stores' own default codes. OpenCart: order_status_id of a fresh install (1 Pending,
 * 2 Processing, 5 Complete, 7 Canceled, 10 Failed, 11 Refunded, 13 Chargeback). X-Cart: the
 * one-letter order statuses (I Not finished, F Failed, Q Queued, P Processed, C Complete,
 * D Declined). Joomla: VirtueMart's (P Pending, X Cancelled, U Confirmed by shopper,
 * C Confirmed, F Completed, R Refunded, D Denied).
 */
export const STORE_STATUS_PRESETS = {
  opencart: {
    pending_payment: '1',
    payment_failed: '10',
    on_hold: '1',
    processing: '2',
    completed: '5',
    canceled: '7',
    refunded: '11',
    charged_back: '13',
  },
  xcart: { pending_payment: 'I', payment_failed: 'F', on_hold: 'Q', processing: 'P', completed: 'C', canceled: 'D' },
  joomla: {
    pending_payment: 'P',
    payment_failed: 'D',
    on_hold: 'U',
    processing: 'C',
    completed: 'F',
    canceled: 'X',
    refunded: 'R',
  },
} satisfies Record<string, StoreStatusMap>;
export type StoreStatusPreset = keyof typeof STORE_STATUS_PRESETS;
export const STORE_STATUS_PRESET_NAMES = Object.keys(STORE_STATUS_PRESETS) as StoreStatusPreset[];

/** A preset with the store's own overrides on top. */
export function resolveStoreStatusMap(
  preset: StoreStatusPreset | null,
  overrides: StoreStatusMap = {},
): StoreStatusMap {
  return { ...(preset ? STORE_STATUS_PRESETS[preset] : {}), ...overrides };
}

/** The store's code for the order now, or null when the map has none for it. */
export function storeStatusOf(map: StoreStatusMap, order: Pick<Order, 'status' | 'paymentStatus'>): string | null {
  const ps = order.paymentStatus;
  if ((ps === 'charged_back' || ps === 'refunded' || ps === 'partially_refunded') && map[ps] !== undefined)
    return map[ps];
  return map[order.status satisfies OrderStatus] ?? null;
}
