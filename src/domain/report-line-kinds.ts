/** What a report line can be: its type and its status, and the line as read. */
export const REPORT_LINE_TYPES = ['sale', 'refund', 'chargeback'] as const;
export type ReportLineType = (typeof REPORT_LINE_TYPES)[number];
export const REPORT_LINE_STATUSES = ['succeeded', 'failed', 'pending'] as const;
export type ReportLineStatus = (typeof REPORT_LINE_STATUSES)[number];

/** One line of a provider's report, read exactly: money in minor units, never a float. */
export interface ReportLine {
  /** The line in the file (the header is line 1). */
  lineNo: number;
  providerRef: string | null;
  orderReference: string | null;
  type: ReportLineType;
  /** Minor units, more than zero: the sign is carried by `type`. */
  amount: number;
  /** Upper-case ISO 4217. */
  currency: string;
  status: ReportLineStatus;
  /** ISO 8601 in UTC, or null when the report has no time for the line. */
  at: string | null;
  /** Minor units of `currency`, 0 when absent; always counted as a cost. */
  fee: number;
}
