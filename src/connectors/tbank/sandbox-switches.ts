import type { ReportSwitches } from '../kit/sandbox/report-switches.js';

/** The sandbox's switches: the kit's, with the amount it states (T-Bank states no currency). */
export type TBankSwitches = Omit<ReportSwitches, 'reportCurrency'>;
