/** Who did something: the system, the provider, the store, the customer, or a named person. */
export type Actor = 'system' | 'provider' | 'store' | 'customer' | `user:${string}` | `api_key:${string}`;

/** One line of an order's timeline, before it is given its place (seq) and time by storage. */
export interface NewOrderEvent {
  kind: string;
  actor: Actor;
  /** One line a support person understands. */
  summary: string;
  attemptId?: string | null;
  taskKind?: string | null;
  taskId?: string | null;
  data?: Record<string, unknown>;
}

export interface OrderEvent extends NewOrderEvent {
  orderId: string;
  seq: number;
  at: string;
}

export type TaskKind =
  | 'paid_after_cancel'
  | 'paid_after_expiry'
  | 'double_payment'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'cancel_failed'
  | 'callback_unmatched'
  | 'review'
  | 'refund_manual'
  | 'refund_failed'
  | 'chargeback'
  | 'receipt_failed'
  | 'message_failed'
  | 'delivery_failed'
  | 'return_received'
  | 'additional_payment'
  | 'paid_via_inactive_link'
  // reconciliation: a report line that does not agree with Settle, or a day's internal check
  | 'missing_in_settle'
  | 'missing_in_report'
  | 'status_mismatch'
  | 'duplicate_in_report'
  | 'refund_mismatch'
  | 'report_line_unreadable'
  | 'receipt_missing'
  | 'refund_receipt_missing'
  | 'canceled_not_refunded'
  | 'delivered_not_paid'
  | 'paid_twice';

export interface NewTask {
  kind: TaskKind;
  reason: string;
  /** Null only for what belongs to no order (a verified callback naming an unknown payment). */
  orderId: string | null;
  attemptId?: string | null;
  /** "run id:line number" of the report line a reconciliation task is about. */
  reportLine?: string | null;
}

/** Who a kind of task goes to until someone reassigns it. */
export const DEFAULT_TASK_OWNER: Record<TaskKind, string> = {
  paid_after_cancel: 'support',
  paid_after_expiry: 'support',
  double_payment: 'accounting',
  amount_mismatch: 'support',
  currency_mismatch: 'support',
  cancel_failed: 'support',
  callback_unmatched: 'support',
  review: 'support',
  refund_manual: 'accounting',
  refund_failed: 'accounting',
  chargeback: 'accounting',
  receipt_failed: 'accounting',
  message_failed: 'support',
  delivery_failed: 'support',
  return_received: 'accounting',
  additional_payment: 'support',
  paid_via_inactive_link: 'support',
  missing_in_settle: 'accounting',
  missing_in_report: 'accounting',
  status_mismatch: 'accounting',
  duplicate_in_report: 'accounting',
  refund_mismatch: 'accounting',
  report_line_unreadable: 'accounting',
  receipt_missing: 'accounting',
  refund_receipt_missing: 'accounting',
  canceled_not_refunded: 'accounting',
  delivered_not_paid: 'support',
  paid_twice: 'accounting',
};
