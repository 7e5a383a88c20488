// The sandbox gateway's switches: the kit's common ones, the money it states, and refusals of
// each REST method. Read from the control route's body; invalid values are refused.
import { isCurrency } from '../../domain/currency.js';
import { COMMON_SWITCH_KINDS, readSwitches, type CommonSwitches, type SwitchKind } from '../kit/sandbox/switches.js';

export interface ArcaSwitches extends CommonSwitches {
  /** State this amount (minor units) as paid, in callbacks and in getOrderStatusExtended.do. */
  reportAmount?: number;
  /** State this currency (ISO 4217 alphabetic; sent as its numeric code). */
  reportCurrency?: string;
  /** Answer the method with this errorCode and do nothing. */
  registerError?: string;
  statusError?: string;
  reverseError?: string;
  depositError?: string;
  refundError?: string;
  /** The actionCode of a decline (default 116, the sandbox's choice). */
  declineCode?: string;
}

const KINDS: Record<Exclude<keyof ArcaSwitches, 'reportAmount' | 'reportCurrency'>, SwitchKind> = {
  ...COMMON_SWITCH_KINDS,
  registerError: 'code',
  statusError: 'code',
  reverseError: 'code',
  depositError: 'code',
  refundError: 'code',
  declineCode: 'code',
};

/** `{orderId?, ...switches}` with orderId an orderNumber or "*"; a string is why it is refused. */
export function readArcaSwitches(
  body: unknown,
  idOk: (id: string) => boolean,
): { orderId: string; switches: ArcaSwitches } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const { reportAmount, reportCurrency, ...rest } = body as Record<string, unknown>;
  if (reportAmount !== undefined && !(Number.isSafeInteger(reportAmount) && (reportAmount as number) >= 0))
    return 'switch reportAmount must be a count of minor units';
  if (reportCurrency !== undefined && !(typeof reportCurrency === 'string' && isCurrency(reportCurrency)))
    return 'switch reportCurrency must be an ISO 4217 alphabetic code';
  const read = readSwitches<Omit<ArcaSwitches, 'reportAmount' | 'reportCurrency'>>(rest, KINDS, idOk);
  if (typeof read === 'string') return read;
  return {
    orderId: read.orderId,
    switches: {
      ...read.switches,
      ...(reportAmount !== undefined && { reportAmount: reportAmount as number }),
      ...(reportCurrency !== undefined && { reportCurrency: reportCurrency as string }),
    },
  };
}
