import type { Chargeback } from '../../domain/chargeback.js';
import type { PaymentAttempt } from '../../domain/order.js';
import type { FiscalReceipt } from '../../domain/receipt.js';
import type { ReconciliationRun } from '../../domain/reconciliation-run.js';
import type { Refund } from '../../domain/refund.js';
import type { ReportLineRecord } from '../../domain/report-line.js';
import type { TaskRecord } from '../../domain/task.js';

/** A run's page of Settle's records of the day. */
export interface DayQuery {
  paymentMethodId: string;
  runId: string;
  from: string;
  to: string;
  afterId: string;
  limit: number;
}

export interface RunPatch {
  status?: ReconciliationRun['status'];
  error?: string | null;
  summary?: ReconciliationRun['summary'];
  completedAt?: string | null;
  updatedAt: string;
}

/** Reconciliation runs, their report lines, and what a run compares them with. */
export interface ReconciliationReads {
  getRun(id: string): Promise<ReconciliationRun | undefined>;
  findRunByFile(paymentMethodId: string, fileHash: string): Promise<ReconciliationRun | undefined>;
  /** Newest first. */
  listRuns(q: { paymentMethodId?: string; limit: number }): Promise<ReconciliationRun[]>;
  /**
   * The highest line number stored for the run (0 for none: where an interrupted import goes on)
   * and the lowest (findings of the run's own checks are stored below zero).
   */
  reportLineBounds(runId: string): Promise<{ last: number; first: number }>;
  /** Which of these duplicate keys the run already holds. */
  findReportedDupKeys(runId: string, keys: readonly string[]): Promise<string[]>;
  /** Which of these records (payments, refunds) a line of the run already matched or disputed. */
  findReportedRecords(runId: string, recordIds: readonly string[]): Promise<string[]>;
  /** Report lines by outcome, every finding by kind, and sums of succeeded lines by currency and type. */
  reportLineTotals(runId: string): Promise<{
    outcomes: Record<string, number>;
    kinds: Record<string, number>;
    sums: { currency: string; type: string; amount: number; fee: number }[];
  }>;
  /** The refunds, chargebacks, receipts and open tasks of several orders at once. */
  listOrderRecords(
    orderIds: readonly string[],
  ): Promise<{ refunds: Refund[]; chargebacks: Chargeback[]; receipts: FiscalReceipt[]; openTasks: TaskRecord[] }>;
  /** Succeeded payments of the method changed in [from, to) that no line of the run names, by id. */
  listUnreportedPayments(q: DayQuery): Promise<PaymentAttempt[]>;
  /** Succeeded refunds of the method's payments changed in [from, to) that no line of the run names, by id. */
  listUnreportedRefunds(q: DayQuery): Promise<Refund[]>;
}

export interface ReconciliationWrites {
  /** Inserts unless a run of the same file for the same payment method exists; returns whether it inserted. */
  insertRun(run: ReconciliationRun): Promise<boolean>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  /** A line already stored (same run and line number) is kept as it was. */
  insertReportLines(lines: readonly ReportLineRecord[]): Promise<void>;
}
