import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import { dateTime, int, nullable, str, type Wire } from './fields.js';

const totals = {
  type: 'object',
  properties: { sales: int, refunds: int, chargebacks: int, fees: int, net: int },
} as const;

/** One import of a provider's report: counts by outcome and exception kind, totals per currency. */
export const runSchema = {
  type: 'object',
  properties: {
    id: str,
    payment_method_id: str,
    date: str,
    file_name: str,
    file_sha256: str,
    via: { type: 'string', enum: ['api', 'cli', 'schedule', 'admin'] },
    actor: str,
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    error: nullable(str),
    counts: nullable({
      type: 'object',
      properties: {
        lines: int,
        matched: int,
        unreadable: int,
        exceptions: {
          type: 'object',
          additionalProperties: int,
          description: 'Tasks this run opened, by kind (report exceptions, missing_in_report, internal checks)',
        },
      },
    }),
    totals: nullable({
      type: 'object',
      additionalProperties: totals,
      description:
        "Per currency, minor units, the report's succeeded lines: net = sales − refunds − chargebacks − fees",
    }),
    created_at: dateTime,
    completed_at: nullable(dateTime),
  },
} as const;

export type RunView = Wire<typeof runSchema>;

export function runView(r: ReconciliationRun): RunView {
  return {
    id: r.id,
    payment_method_id: r.paymentMethodId,
    date: r.reportDate,
    file_name: r.fileName,
    file_sha256: r.fileHash,
    via: r.via,
    actor: r.actor,
    status: r.status,
    error: r.error,
    counts: r.summary && {
      lines: r.summary.lines,
      matched: r.summary.matched,
      unreadable: r.summary.unreadable,
      exceptions: r.summary.exceptions,
    },
    totals: r.summary?.totals ?? null,
    created_at: r.createdAt,
    completed_at: r.completedAt,
  };
}
