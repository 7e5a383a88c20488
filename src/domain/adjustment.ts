import type { OrderLine } from './order-line.js';
import { fail, ok, type Result } from './result.js';

/** A change of the order's confirmed amount after it was placed. */
export const ADJUSTMENT_KINDS = ['partial_cancellation', 'replacement', 'fee_change', 'manual_price'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export interface AdjustmentLine {
  sku: string;
  quantity: number;
}

export interface Adjustment {
  id: string;
  orderId: string;
  kind: AdjustmentKind;
  lines: AdjustmentLine[];
  /** Signed, minor units: what the confirmed amount moved by. */
  amountDelta: number;
  amountBefore: number;
  amountAfter: number;
  reason: string;
  actor: string;
  /** The refund the fall in a prepaid order's amount became. */
  refundId: string | null;
  createdAt: string;
}

export interface AdjustmentRequest {
  kind: AdjustmentKind;
  lines?: AdjustmentLine[];
  amountDelta?: number;
}

export interface AdjustmentPlan {
  delta: number;
  /** The order's lines after it (a partial cancellation takes quantities off). */
  lines: OrderLine[];
  amountAfter: number;
}

/**
 * Pure: what an adjustment does to the amount. A partial cancellation takes whole units of lines
 * off (its delta is their price); the other kinds state their delta. The amount never falls to
 * zero or below: that is a cancel or a full refund, not an adjustment.
 */
export function planAdjustment(
  order: { amount: number; lines: readonly OrderLine[] },
  req: AdjustmentRequest,
): Result<AdjustmentPlan> {
  let lines = order.lines.map((l) => ({ ...l }));
  let delta: number;
  if (req.kind === 'partial_cancellation') {
    if (!req.lines || req.lines.length === 0)
      return fail('adjustment_lines_required', 'A partial cancellation names the lines it takes off.');
    if (req.amountDelta !== undefined)
      return fail(
        'adjustment_invalid',
        'A partial cancellation takes its amount from the lines; leave amount_delta out.',
      );
    delta = 0;
    for (const c of req.lines) {
      const line = lines.find((l) => l.sku === c.sku);
      if (!line) return fail('adjustment_line_unknown', `The order has no line ${c.sku}.`);
      if (c.quantity > line.quantity)
        return fail('adjustment_invalid', `Line ${c.sku} has ${line.quantity}; ${c.quantity} cannot be canceled.`);
      line.quantity -= c.quantity;
      delta -= line.unit_amount * c.quantity;
    }
    lines = lines.filter((l) => l.quantity > 0);
  } else {
    if (req.amountDelta === undefined || req.amountDelta === 0)
      return fail('adjustment_invalid', `A ${req.kind.replace('_', ' ')} states a non-zero amount_delta.`);
    for (const c of req.lines ?? [])
      if (!lines.some((l) => l.sku === c.sku))
        return fail('adjustment_line_unknown', `The order has no line ${c.sku}.`);
    delta = req.amountDelta;
  }
  const amountAfter = order.amount + delta;
  if (!Number.isSafeInteger(amountAfter))
    return fail('amount_out_of_range', 'The adjusted amount is too large to hold.');
  if (amountAfter <= 0)
    return fail(
      'adjustment_invalid',
      'An adjustment may not bring the amount to zero: cancel or refund the order instead.',
    );
  return ok({ delta, lines, amountAfter });
}
