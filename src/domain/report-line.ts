/** One line of an imported report and what it became. */
export interface ReportLineRecord {
  runId: string;
  lineNo: number;
  providerRef: string | null;
  orderReference: string | null;
  type: string | null;
  amount: number | null;
  currency: string | null;
  status: string | null;
  at: string | null;
  fee: number | null;
  dupKey: string | null;
  outcome: 'matched' | 'exception' | 'unreadable';
  kind: string | null;
  recordId: string | null;
  orderId: string | null;
  message: string | null;
}
