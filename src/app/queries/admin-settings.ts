import type { NotificationSettings } from '../../domain/notifications.js';
import type { OutboxMessage } from '../../domain/outbox.js';
import type { ReviewRules } from '../../domain/review.js';
import type { TaskKind } from '../../domain/timeline.js';
import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { AppDeps } from '../deps.js';
import { notificationSettings, reviewRules, taskOwners } from '../settings.js';
import { orderReferences } from './admin-orders.js';

// What the admin settings pages read. Committed data only; secrets never (a payment method's
// settings hold none: they are stored apart, encrypted).

/** The e-mail notification settings in force (defaults filled in). */
export const notificationSettingsOf = (deps: AppDeps): Promise<NotificationSettings> =>
  notificationSettings(deps.storage.read);

/** The antifraud review rules in force (defaults filled in). */
export const reviewRulesOf = (deps: AppDeps): Promise<ReviewRules> => reviewRules(deps.storage.read);

/** Who each kind of task goes to (the defaults where nobody changed them). */
export const taskOwnersOf = (deps: AppDeps): Promise<Record<TaskKind, string>> => taskOwners(deps.storage.read);

/** The payment method as stored (its settings without secrets), or undefined. */
export const paymentMethodOf = (deps: AppDeps, id: string): Promise<PaymentMethodRecord | undefined> =>
  deps.storage.read.getPaymentMethod(id);

/** Every webhook endpoint. */
export const webhookEndpoints = (deps: AppDeps): Promise<WebhookEndpointRecord[]> =>
  deps.storage.read.listWebhookEndpoints();

/** One webhook endpoint, or undefined. */
export const webhookEndpointOf = (deps: AppDeps, id: string): Promise<WebhookEndpointRecord | undefined> =>
  deps.storage.read.getWebhookEndpoint(id);

/** An endpoint's delivery log: its newest `limit` messages and their orders' references; undefined when there is no such endpoint. */
export async function webhookDeliveries(deps: AppDeps, endpointId: string, limit: number) {
  const endpoint = await deps.storage.read.getWebhookEndpoint(endpointId);
  if (!endpoint) return undefined;
  const messages = await deps.storage.read.listOutbox({ target: endpoint.id, topic: 'webhook', limit });
  const refs = await orderReferences(
    deps,
    messages.map((m) => m.orderId),
  );
  return { endpoint, messages, refs };
}

/** The outbox message, only when it is a webhook to this endpoint (so the page's address says what is resent). */
export async function webhookMessageOf(
  deps: AppDeps,
  endpointId: string,
  messageId: string,
): Promise<OutboxMessage | undefined> {
  const m = await deps.storage.read.getOutbox(messageId);
  return m && m.topic === 'webhook' && m.target === endpointId ? m : undefined;
}
