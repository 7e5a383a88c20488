import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { CsvMapping } from '../../domain/report.js';

export type PaymentMethodPatch = Partial<
  Pick<
    PaymentMethodRecord,
    | 'name'
    | 'settings'
    | 'secretsCiphertext'
    | 'currencies'
    | 'minAmount'
    | 'maxAmount'
    | 'enabled'
    | 'autoApprove'
    | 'autoRefundSurplus'
  >
>;

/** Payment methods, secrets encrypted. */
export interface PaymentMethodReads {
  getPaymentMethod(id: string): Promise<PaymentMethodRecord | undefined>;
  listPaymentMethods(): Promise<PaymentMethodRecord[]>;
}

export interface PaymentMethodWrites {
  insertPaymentMethod(pm: PaymentMethodRecord): Promise<void>;
  updatePaymentMethod(id: string, patch: PaymentMethodPatch): Promise<void>;
  setPaymentMethodReportMapping(id: string, mapping: CsvMapping | null): Promise<void>;
}
