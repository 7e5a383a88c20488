import { isCurrency } from '../domain/currency.js';
import { fail, ok, type Result } from '../domain/result.js';
import { parseCsvMapping } from '../domain/report.js';
import { abilitiesOf, type Connector } from '../ports/connector.js';
import type { PaymentMethodRecord } from '../domain/payment-method.js';
import { nowIso, type AppDeps } from './deps.js';
import { paymentMethodView, type CheckoutMethodView, type PaymentMethodView } from '../contract/payment-method.js';

export { loadMethod, type LoadedMethod } from './load-method.js';

export interface CreatePaymentMethodInput {
  name: string;
  connector: string;
  settings: Record<string, unknown>;
  currencies?: string[];
  min_amount?: number;
  max_amount?: number;
  enabled?: boolean;
  auto_approve?: boolean;
  /** A surplus payment (a double payment) is refunded in full automatically; default false. */
  auto_refund_surplus?: boolean;
  report_mapping?: unknown;
}

/** What the API shows of a payment method: secret settings are masked, never returned. */
export function viewPaymentMethod(
  pm: PaymentMethodRecord,
  connector: Connector<unknown> | undefined,
): PaymentMethodView {
  return paymentMethodView(pm, connector?.secretFields ?? [], connector ? abilitiesOf(connector) : []);
}

/**
 * Creates a payment method after its connector validated the settings. Secret fields are
 * encrypted with the secret box and stored apart from the rest.
 */
export async function createPaymentMethod(
  deps: AppDeps,
  input: CreatePaymentMethodInput,
): Promise<Result<PaymentMethodView>> {
  const connector = deps.connectors.get(input.connector);
  if (!connector) {
    return fail(
      'connector_unknown',
      `There is no connector "${input.connector}". Known: ${deps.connectors.ids().join(', ')}.`,
    );
  }
  const badName = nameProblem(input.name) ?? limitsProblem([input.min_amount, input.max_amount]);
  if (badName) return badName;
  const parsed = connector.parseSettings(input.settings);
  if (!parsed.ok) return parsed;
  const bad = (input.currencies ?? []).find((c) => !isCurrency(c));
  if (bad) return fail('currency_unknown', `${bad} is not an ISO 4217 currency code.`);
  if (input.min_amount !== undefined && input.max_amount !== undefined && input.min_amount > input.max_amount) {
    return fail('amount_limits_invalid', 'min_amount is above max_amount.');
  }
  const mapping = input.report_mapping === undefined ? ok(null) : parseCsvMapping(input.report_mapping);
  if (!mapping.ok) return mapping;
  const publicSettings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.settings)) {
    if (connector.secretFields.includes(k)) secrets[k] = String(v);
    else publicSettings[k] = v;
  }
  const pm: PaymentMethodRecord = {
    id: deps.random.id('pm'),
    name: input.name,
    connector: connector.id,
    settings: publicSettings,
    secretsCiphertext: deps.secretBox.encrypt(JSON.stringify(secrets)),
    currencies: input.currencies ? [...new Set(input.currencies)] : null,
    minAmount: input.min_amount ?? null,
    maxAmount: input.max_amount ?? null,
    enabled: input.enabled ?? true,
    autoApprove: input.auto_approve ?? false,
    autoRefundSurplus: input.auto_refund_surplus ?? false,
    reportMapping: mapping.value,
    createdAt: nowIso(deps),
  };
  await deps.storage.transaction((tx) => tx.insertPaymentMethod(pm));
  return ok(viewPaymentMethod(pm, connector));
}

const nameProblem = (name: string) =>
  name.trim().length < 1 || name.length > 100 || /[\x00-\x1f\x7f]/.test(name)
    ? fail('payment_method_name_invalid', 'The name must be 1 to 100 characters long.')
    : undefined;

const limitsProblem = (limits: (number | null | undefined)[]) =>
  limits.some((v) => v !== undefined && v !== null && !(Number.isSafeInteger(v) && v >= 0))
    ? fail('amount_limits_invalid', 'Amount limits are whole numbers of minor units, 0 or more.')
    : undefined;

export interface UpdatePaymentMethodInput {
  name?: string;
  /**
   * Merged over the current settings: a field given replaces it, null removes it. A secret field
   * left out, null or empty keeps its current value (secrets are never read back to be re-sent).
   */
  settings?: Record<string, unknown>;
  /** null: any currency. */
  currencies?: string[] | null;
  /** Minor units; null: no limit. */
  min_amount?: number | null;
  max_amount?: number | null;
  enabled?: boolean;
  auto_approve?: boolean;
  auto_refund_surplus?: boolean;
}

/**
 * Changes a payment method. The merged settings pass the connector's parseSettings exactly as on
 * creation, or nothing is written; secrets are encrypted again with the secret box.
 */
export async function updatePaymentMethod(
  deps: AppDeps,
  id: string,
  input: UpdatePaymentMethodInput,
): Promise<Result<PaymentMethodView>> {
  const badName = input.name === undefined ? undefined : nameProblem(input.name);
  if (badName) return badName;
  const bad = (input.currencies ?? []).find((c) => !isCurrency(c));
  if (bad) return fail('currency_unknown', `${bad} is not an ISO 4217 currency code.`);
  const badLimits = limitsProblem([input.min_amount, input.max_amount]);
  if (badLimits) return badLimits;
  return deps.storage.transaction(async (tx) => {
    const pm = await tx.getPaymentMethod(id);
    if (!pm) return fail('payment_method_not_found', `There is no payment method ${id}.`);
    const connector = deps.connectors.get(pm.connector);
    if (!connector)
      return fail(
        'connector_unknown',
        `Payment method ${id} uses connector "${pm.connector}", which this Settle does not have.`,
      );
    const next: PaymentMethodRecord = {
      ...pm,
      ...(input.name !== undefined && { name: input.name.trim() }),
      ...(input.currencies !== undefined && { currencies: input.currencies ? [...new Set(input.currencies)] : null }),
      ...(input.min_amount !== undefined && { minAmount: input.min_amount }),
      ...(input.max_amount !== undefined && { maxAmount: input.max_amount }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.auto_approve !== undefined && { autoApprove: input.auto_approve }),
      ...(input.auto_refund_surplus !== undefined && { autoRefundSurplus: input.auto_refund_surplus }),
    };
    if (next.minAmount !== null && next.maxAmount !== null && next.minAmount > next.maxAmount)
      return fail('amount_limits_invalid', 'min_amount is above max_amount.');
    if (input.settings !== undefined) {
      const settings = { ...pm.settings };
      const secrets = JSON.parse(deps.secretBox.decrypt(pm.secretsCiphertext)) as Record<string, string>;
      for (const [k, v] of Object.entries(input.settings)) {
        if (connector.secretFields.includes(k)) {
          if (v !== undefined && v !== null && v !== '') secrets[k] = String(v);
        } else if (v === null) delete settings[k];
        else settings[k] = v;
      }
      const parsed = connector.parseSettings({ ...settings, ...secrets });
      if (!parsed.ok) return parsed;
      next.settings = settings;
      next.secretsCiphertext = deps.secretBox.encrypt(JSON.stringify(secrets));
    }
    await tx.updatePaymentMethod(id, {
      name: next.name,
      settings: next.settings,
      secretsCiphertext: next.secretsCiphertext,
      currencies: next.currencies,
      minAmount: next.minAmount,
      maxAmount: next.maxAmount,
      enabled: next.enabled,
      autoApprove: next.autoApprove,
      autoRefundSurplus: next.autoRefundSurplus,
    });
    return ok(viewPaymentMethod(next, connector));
  });
}

/** Sets (or, with null, clears) how the provider's report is read when its connector has no parser. */
export async function setReportMapping(deps: AppDeps, id: string, input: unknown): Promise<Result<PaymentMethodView>> {
  const mapping = input === null ? ok(null) : parseCsvMapping(input);
  if (!mapping.ok) return mapping;
  const pm = await deps.storage.read.getPaymentMethod(id);
  if (!pm) return fail('payment_method_not_found', `There is no payment method ${id}.`);
  await deps.storage.transaction((tx) => tx.setPaymentMethodReportMapping(id, mapping.value));
  return ok(viewPaymentMethod({ ...pm, reportMapping: mapping.value }, deps.connectors.get(pm.connector)));
}

/** Every payment method, for an admin (disabled ones too), or those that can take such an order. */
export async function listPaymentMethods(deps: AppDeps, filter: MethodFilter = {}): Promise<PaymentMethodView[]> {
  const all = await deps.storage.read.listPaymentMethods();
  return all.filter((pm) => takes(pm, filter)).map((pm) => viewPaymentMethod(pm, deps.connectors.get(pm.connector)));
}

/** Narrows the list to what can take an order of this currency and amount (each optional). */
export interface MethodFilter {
  currency?: string;
  amount?: number;
}

/**
 * What a store may offer at checkout: the enabled methods (those that can take the given currency
 * and amount, when given), with name, connector, currencies and limits only: never settings.
 */
export async function listCheckoutMethods(deps: AppDeps, filter: MethodFilter = {}): Promise<CheckoutMethodView[]> {
  const all = await deps.storage.read.listPaymentMethods();
  return all
    .filter((pm) => pm.enabled && takes(pm, filter))
    .map((pm) => ({
      id: pm.id,
      name: pm.name,
      connector: pm.connector,
      currencies: pm.currencies,
      min_amount: pm.minAmount,
      max_amount: pm.maxAmount,
      enabled: true,
    }));
}

function takes(pm: PaymentMethodRecord, { currency, amount }: MethodFilter): boolean {
  if (currency !== undefined && pm.currencies && !pm.currencies.includes(currency)) return false;
  if (amount !== undefined && pm.minAmount !== null && amount < pm.minAmount) return false;
  return !(amount !== undefined && pm.maxAmount !== null && amount > pm.maxAmount);
}

/** Why this method cannot take an order of this amount and currency, if it cannot. */
export function methodRefusal(pm: PaymentMethodRecord, amount: number, currency: string): string | undefined {
  if (!pm.enabled) return `Payment method ${pm.name} is disabled.`;
  if (pm.currencies && !pm.currencies.includes(currency))
    return `Payment method ${pm.name} does not take ${currency} (it takes ${pm.currencies.join(', ')}).`;
  if (pm.minAmount !== null && amount < pm.minAmount)
    return `The amount ${amount} is below the method's minimum, ${pm.minAmount} (minor units).`;
  if (pm.maxAmount !== null && amount > pm.maxAmount)
    return `The amount ${amount} is above the method's maximum, ${pm.maxAmount} (minor units).`;
  return undefined;
}
