import type { FastifyReply } from 'fastify';
import type { Failure } from '../domain/result.js';

/**
 * The one error registry: every code Settle answers with, and its HTTP status. Errors have one
 * shape, {statusCode, code, error, message}; a code missing here is a bug (answered as 500).
 */
export const ERROR_STATUS: Record<string, number> = {
  // 400: the request itself is wrong
  invalid_request: 400,
  invalid_json: 400,
  currency_unknown: 400,
  settings_invalid: 400,
  cursor_invalid: 400,
  amount_limits_invalid: 400,
  connector_unknown: 400,
  callback_malformed: 400,
  // 401/403: who is asking
  unauthorized: 401,
  forbidden: 403,
  callback_signature_invalid: 403,
  // 404
  not_found: 404,
  order_not_found: 404,
  payment_not_found: 404,
  payment_method_unknown: 404,
  callback_order_unknown: 404,
  // 409: the order's state or an idempotency key
  order_reference_conflict: 409,
  order_not_payable: 409,
  idempotency_key_reused: 409,
  idempotency_request_in_progress: 409,
  idempotency_outcome_unknown: 409,
  // 413/415
  payload_too_large: 413,
  unsupported_media_type: 415,
  // 422: a valid request a rule refuses
  amount_mismatch: 422,
  amount_required: 422,
  amount_not_positive: 422,
  amount_out_of_range: 422,
  payment_method_refused: 422,
  reference_invalid: 422,
  provider_ref_taken: 422,
  check_not_supported: 422,
  order_not_cancelable: 409,
  order_paid: 409,
  cancel_in_progress: 409,
  task_not_found: 404,
  task_resolved: 409,
  amount_invalid: 422,
  // after payment: review, refunds, chargebacks, webhooks, the outbox
  order_not_reviewable: 409,
  review_decided: 409,
  order_not_paid: 409,
  refund_exceeds_refundable: 409,
  refund_line_unknown: 422,
  refund_line_quantity: 422,
  refund_not_found: 404,
  refund_not_manual: 409,
  chargeback_exceeds_payment: 422,
  chargeback_exists: 409,
  chargeback_not_found: 404,
  chargeback_decided: 409,
  webhook_url_invalid: 422,
  webhook_event_unknown: 422,
  webhook_secret_invalid: 422,
  webhook_endpoint_not_found: 404,
  outbox_message_not_found: 404,
  outbox_message_not_failed: 409,
  // adjustments
  order_not_adjustable: 409,
  payment_in_progress: 409,
  adjustment_invalid: 422,
  adjustment_lines_required: 422,
  adjustment_line_unknown: 422,
  // payment links
  nothing_to_collect: 409,
  amount_above_outstanding: 409,
  refund_in_progress: 409,
  expires_at_invalid: 422,
  payment_method_required: 422,
  payment_link_not_found: 404,
  payment_link_expired: 409,
  payment_link_revoked: 409,
  payment_link_paid: 409,
  // reconciliation
  payment_method_not_found: 404,
  report_mapping_invalid: 422,
  report_date_invalid: 422,
  report_date_mismatch: 409,
  report_unreadable: 422,
  report_too_large: 413,
  reconciliation_in_progress: 409,
  reconciliation_run_not_found: 404,
  // delivery
  order_not_shippable: 409,
  order_has_shipments: 409,
  shipment_lines_invalid: 422,
  shipment_not_found: 404,
  shipment_transition_invalid: 409,
  shipment_proof_invalid: 422,
  // users and sign-in (the admin pages)
  email_invalid: 422,
  role_unknown: 422,
  password_weak: 422,
  user_exists: 409,
  user_not_found: 404,
  sign_in_failed: 401,
  api_key_not_found: 404,
  api_key_revoked: 409,
  // settings (the admin's settings pages and their API routes)
  api_key_name_invalid: 422,
  api_key_scopes_invalid: 422,
  payment_method_name_invalid: 422,
  webhook_events_required: 422,
  status_map_invalid: 422,
  status_map_preset_unknown: 422,
  webhook_endpoint_disabled: 409,
  outbox_message_pending: 409,
  outbox_message_not_resendable: 409,
  notification_settings_invalid: 422,
  review_rules_invalid: 422,
  task_owner_invalid: 422,
  // 429
  rate_limited: 429,
  sign_in_rate_limited: 429,
  // 5xx: never for bad input
  internal_error: 500,
  provider_answer_invalid: 502,
  provider_error: 502,
  provider_unreachable: 503,
  storage_unavailable: 503,
  not_ready: 503,
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

/** `status` overrides the registry only for client errors raised by Fastify itself. */
export function errorBody(
  code: string,
  message: string,
  details?: Record<string, unknown>,
  status?: number,
): ErrorBody {
  const statusCode = status ?? ERROR_STATUS[code] ?? 500;
  return { statusCode, code, error: REASONS[statusCode] ?? 'Error', message, ...(details && { details }) };
}

export function sendFailure(reply: FastifyReply, f: Failure): FastifyReply {
  const body = errorBody(f.code, f.message, f.details);
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

/** The schema every error answer follows, for OpenAPI. */
export { errorSchema } from '../contract/error.js';

/**
 * Connection failures, serialization failures and deadlocks: a retry may cure them, so 503, not 500.
 * PostgreSQL going down and coming back shows as: ECONNREFUSED while it is down; "Connection
 * terminated unexpectedly" for a query it cut, and "Client has encountered a connection error and
 * is not queryable" for the rollback after it; 57P01/57P02 on a shutdown; 57P03 ("the database
 * system is starting up", "… is not yet accepting connections") during its recovery
 * (test/flows/faults-database.test.ts).
 */
export function isStorageDown(err: { code?: unknown; message: string }): boolean {
  const code = String(err.code ?? '');
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'EAI_AGAIN',
      'SQLITE_BUSY',
      'SQLITE_LOCKED',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08001',
      '08003',
      '08006',
      '53300',
      '40001',
      '40P01',
    ].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      err.message,
    )
  );
}
