// What the fiscal sandbox reads from its requests: a receipt to register and the switches,
// each checked field by field (unknown fields are a caller's typo and refused).
import { isCurrency } from '../domain/currency.js';

export interface FiscalSandboxSwitches {
  /** Answer registrations with a refusal (422 receipt_rejected) or an outage (503). */
  fail?: 'reject' | 'unavailable' | null;
  /** Fail only the next N registrations, then behave (default: until the switch changes). */
  failTimes?: number;
  /** Hold each registration's answer this long, after the work is done (a lost answer, not a lost receipt). */
  delayMs?: number;
}

/** A registered receipt: what the API answers, plus what it was registered with. */
export interface SandboxReceipt {
  id: string;
  external_id: string;
  status: 'issued';
  fiscal_number: string;
  kind: 'sale' | 'refund';
  total: number;
  currency: string;
  issued_at: string;
  order_reference: string;
  items: { name: string; quantity: number; amount: number }[];
  customer_email?: string;
}

export type Content = Pick<
  SandboxReceipt,
  'kind' | 'order_reference' | 'currency' | 'total' | 'items' | 'customer_email'
>;

const TEXT_MAX = 256;
const ITEMS_MAX = 100;
const DELAY_MAX = 600_000;
const FIELDS = new Set(['external_id', 'kind', 'order_reference', 'currency', 'total', 'items', 'customer_email']);
const ITEM_FIELDS = new Set(['name', 'quantity', 'amount']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= TEXT_MAX;
const isCount = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

function unknownField(obj: Record<string, unknown>, known: Set<string>): string | undefined {
  return Object.keys(obj).find((k) => !known.has(k));
}

/** The receipt's content, or a message saying what is wrong with it. Unknown fields are refused: they are a caller's typo. */
export function readReceipt(body: unknown): { external_id: string; content: Content } | string {
  if (!isObject(body)) return 'The body must be a JSON object.';
  const extra = unknownField(body, FIELDS);
  if (extra !== undefined) return `Unknown field "${extra.slice(0, 40)}".`;
  const { external_id, kind, order_reference, currency, total, items, customer_email } = body;
  if (!isText(external_id)) return `external_id must be a non-empty string of at most ${TEXT_MAX} characters.`;
  if (kind !== 'sale' && kind !== 'refund') return 'kind must be "sale" or "refund".';
  if (!isText(order_reference)) return `order_reference must be a non-empty string of at most ${TEXT_MAX} characters.`;
  if (typeof currency !== 'string' || !isCurrency(currency)) return 'currency must be an ISO 4217 code such as "AMD".';
  if (!isCount(total, 0)) return 'total must be an integer of minor units, 0 or more.';
  if (!Array.isArray(items) || items.length === 0 || items.length > ITEMS_MAX)
    return `items must list 1 to ${ITEMS_MAX} items.`;
  const read: Content['items'] = [];
  for (const [i, item] of items.entries()) {
    if (!isObject(item) || unknownField(item, ITEM_FIELDS) !== undefined)
      return `items[${i}] must be {name, quantity, amount}.`;
    if (!isText(item.name)) return `items[${i}].name must be a non-empty string of at most ${TEXT_MAX} characters.`;
    if (!isCount(item.quantity, 1)) return `items[${i}].quantity must be a whole number, 1 or more.`;
    if (!isCount(item.amount, 0)) return `items[${i}].amount must be an integer of minor units, 0 or more.`;
    read.push({ name: item.name, quantity: item.quantity, amount: item.amount });
  }
  const sum = read.reduce((s, item) => s + item.amount, 0);
  if (sum !== total) return `total ${total} does not equal the sum of the item amounts, ${sum}.`;
  if (customer_email !== undefined && !(isText(customer_email) && /^[^\s@]+@[^\s@]+$/.test(customer_email))) {
    return 'customer_email must be an e-mail address.';
  }
  const content: Content = { kind, order_reference, currency, total, items: read };
  if (customer_email !== undefined) content.customer_email = customer_email;
  return { external_id, content };
}

export function readSwitches(body: unknown): FiscalSandboxSwitches | string {
  if (!isObject(body)) return 'the switches must be a JSON object';
  const extra = unknownField(body, new Set(['fail', 'failTimes', 'delayMs']));
  if (extra !== undefined) return `unknown switch ${extra.slice(0, 40)}`;
  const { fail, failTimes, delayMs } = body;
  if (fail !== undefined && fail !== null && fail !== 'reject' && fail !== 'unavailable')
    return 'fail must be "reject", "unavailable" or null';
  if (failTimes !== undefined && !isCount(failTimes, 1)) return 'failTimes must be a whole number, 1 or more';
  if (delayMs !== undefined && !(isCount(delayMs, 0) && delayMs <= DELAY_MAX))
    return `delayMs must be 0 to ${DELAY_MAX}`;
  const switches: FiscalSandboxSwitches = {};
  if (fail) switches.fail = fail;
  if (fail && failTimes !== undefined) switches.failTimes = failTimes;
  if (delayMs) switches.delayMs = delayMs;
  return switches;
}

/** The content as one string with a fixed order, so two receipts compare by value. */
export function canonical(c: Content): string {
  return JSON.stringify([
    c.kind,
    c.order_reference,
    c.currency,
    c.total,
    c.items.map((i) => [i.name, i.quantity, i.amount]),
    c.customer_email ?? null,
  ]);
}

export function publicView(r: SandboxReceipt) {
  const { id, external_id, status, fiscal_number, kind, total, currency, issued_at } = r;
  return { id, external_id, status, fiscal_number, kind, total, currency, issued_at };
}
