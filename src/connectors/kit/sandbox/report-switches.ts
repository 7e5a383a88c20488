// The switches most sandboxes take: the kit's common ones and the money the provider states
// (an amount in minor units and, where its protocol names one, a currency).
import { isCurrency } from '../../../domain/currency.js';
import { COMMON_SWITCH_KINDS, readSwitches, type CommonSwitches } from './switches.js';

export interface ReportSwitches extends CommonSwitches {
  /** State this amount (minor units) as paid, in notices and status answers. */
  reportAmount?: number;
  /** State this currency (ISO 4217 alphabetic). */
  reportCurrency?: string;
}

/**
 * `{orderId?, ...switches}` with orderId one `idOk` accepts or "*"; without `currency`, the
 * protocol states none and reportCurrency is refused. A string is why the body is refused.
 */
export function readReportSwitches(
  body: unknown,
  idOk: (id: string) => boolean,
  opts: { currency: boolean },
): { orderId: string; switches: ReportSwitches } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const { reportAmount, reportCurrency, ...rest } = body as Record<string, unknown>;
  if (reportAmount !== undefined && !(Number.isSafeInteger(reportAmount) && (reportAmount as number) >= 0))
    return 'switch reportAmount must be a count of minor units';
  if (
    reportCurrency !== undefined &&
    !(opts.currency && typeof reportCurrency === 'string' && isCurrency(reportCurrency))
  )
    return opts.currency
      ? 'switch reportCurrency must be an ISO 4217 alphabetic code'
      : 'this provider states no currency';
  const read = readSwitches<CommonSwitches>(rest, COMMON_SWITCH_KINDS, idOk);
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
