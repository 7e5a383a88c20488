// The sandbox's switches: the kit's common ones and the amount it states (T-Bank states no
// currency). Read from the control route's body; invalid values are refused.
import { COMMON_SWITCH_KINDS, readSwitches, type CommonSwitches } from '../kit/sandbox/switches.js';

export interface TBankSwitches extends CommonSwitches {
  /** State this amount (kopecks) as paid, in notifications and in GetState. */
  reportAmount?: number;
}

/** `{orderId?, ...switches}` with orderId an OrderId or "*"; a string is why it is refused. */
export function readTBankSwitches(
  body: unknown,
  idOk: (id: string) => boolean,
): { orderId: string; switches: TBankSwitches } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const { reportAmount, ...rest } = body as Record<string, unknown>;
  if (reportAmount !== undefined && !(Number.isSafeInteger(reportAmount) && (reportAmount as number) >= 0))
    return 'switch reportAmount must be a count of kopecks';
  const read = readSwitches<CommonSwitches>(rest, COMMON_SWITCH_KINDS, idOk);
  if (typeof read === 'string') return read;
  return {
    orderId: read.orderId,
    switches: { ...read.switches, ...(reportAmount !== undefined && { reportAmount: reportAmount as number }) },
  };
}
