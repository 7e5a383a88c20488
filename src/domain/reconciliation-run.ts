import { formatDecimal } from './money.js';
import type { Order, PaymentAttempt } from './order.js';
import type { FiscalReceipt } from './receipt.js';
import type { Refund } from './refund.js';
import type { CurrencyTotals, InternalCheckKind } from './reconciliation.js';

export type RunStatus = 'running' | 'completed' | 'failed';
export type RunVia = 'api' | 'cli' | 'schedule' | 'admin';

export interface RunSummary {
  lines: number;
  matched: number;
  /** Lines the reader could not read (each one a missing_in_settle task naming the problem). */
  unreadable: number;
  /** Tasks opened by this run, by kind: report exceptions, missing_in_report and the internal checks. */
  exceptions: Record<string, number>;
  totals: Record<string, CurrencyTotals>;
}

export interface ReconciliationRun {
  id: string;
  paymentMethodId: string;
  /** The day reconciled, YYYY-MM-DD, in UTC. */
  reportDate: string;
  fileName: string;
  fileHash: string;
  via: RunVia;
  actor: string;
  status: RunStatus;
  error: string | null;
  summary: RunSummary | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** The run's day as a half-open UTC window, or undefined for a date that is not one. */
export function dayWindow(date: string): { from: string; to: string } | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const from = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== date) return undefined;
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
}

export interface CheckInput {
  order: Order;
  attempts: readonly PaymentAttempt[];
  refunds: readonly Refund[];
  receipts: readonly FiscalReceipt[];
  /** Receipts are required (a fiscal service is configured). */
  fiscalOn: boolean;
}

export interface CheckFinding {
  kind: InternalCheckKind;
  reason: string;
  attemptId?: string;
}

/**
 * Pure: what is wrong with one order by Settle's own records, without the report. Each finding
 * becomes a task unless one of its kind is already open for the order.
 */
export function checkOrder(input: CheckInput): CheckFinding[] {
  const { order, attempts, refunds, receipts } = input;
  const out: CheckFinding[] = [];
  const money = (n: number) => `${formatDecimal(n, order.currency)} ${order.currency}`;
  const paid = attempts.filter((a) => a.status === 'succeeded');
  if (input.fiscalOn) {
    for (const a of paid) {
      if (!receipts.some((r) => r.kind === 'sale' && r.attemptId === a.id && r.status === 'issued')) {
        out.push({
          kind: 'receipt_missing',
          reason: `Payment ${a.providerRef} of ${money(a.amount)} on order ${order.reference} has no issued sale receipt.`,
          attemptId: a.id,
        });
      }
    }
    for (const r of refunds.filter((x) => x.status === 'succeeded')) {
      if (!receipts.some((x) => x.kind === 'refund' && x.refundId === r.id && x.status === 'issued')) {
        out.push({
          kind: 'refund_receipt_missing',
          reason: `Refund ${r.id} of ${money(r.amount)} on order ${order.reference} has no issued refund receipt.`,
          attemptId: r.attemptId,
        });
      }
    }
  }
  const paidSum = paid.reduce((s, a) => s + a.amount, 0);
  const returned = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
  if (order.status === 'canceled' && paidSum > returned) {
    out.push({
      kind: 'canceled_not_refunded',
      reason: `Order ${order.reference} is canceled, but ${money(paidSum - returned)} of the ${money(paidSum)} paid has not gone back.`,
    });
  }
  if ((order.deliveryStatus === 'delivered' || order.deliveryStatus === 'fulfilled') && paidSum === 0) {
    out.push({
      kind: 'delivered_not_paid',
      reason: `Order ${order.reference} is ${order.deliveryStatus} but has no verified payment.`,
    });
  }
  // Every refund not failed counts here: a surplus refunded by hand is settled.
  const surplus =
    paidSum - refunds.filter((r) => r.status !== 'failed').reduce((s, r) => s + r.amount, 0) - order.amount;
  if (paid.length > 1 && surplus > 0) {
    out.push({
      kind: 'paid_twice',
      reason: `Order ${order.reference} has ${paid.length} payments (${paid.map((a) => a.providerRef).join(', ')}) and ${money(surplus)} more than it costs.`,
    });
  }
  return out;
}
