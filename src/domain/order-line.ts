/** One line of an order as the store sent it; amounts in minor units. */
export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unit_amount: number;
}

/** Lines that name one sku more than once, added up: a limit per line holds for the sum. */
export function sumBySku<L extends { sku: string; quantity: number }>(
  lines: readonly L[],
): { sku: string; quantity: number }[] {
  const total = new Map<string, number>();
  for (const l of lines) total.set(l.sku, (total.get(l.sku) ?? 0) + l.quantity);
  return [...total].map(([sku, quantity]) => ({ sku, quantity }));
}
