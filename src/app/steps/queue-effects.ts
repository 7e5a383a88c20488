import { setsOffAnything, type EffectPlan, type EffectSettings } from '../../domain/effect-plan.js';
import type { Order } from '../../domain/order.js';
import type { OutboxMessage } from '../../domain/outbox.js';
import type { NewOrderEvent, OrderEvent } from '../../domain/timeline.js';
import type { StorageTx } from '../../ports/storage.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import type { AppDeps } from '../deps.js';
import { notificationSettings } from '../settings.js';
import { appendTimeline } from './append-timeline.js';
import { webhookPayload, withStoreStatus, type AttemptReader } from './webhook-payload.js';

/** What the effect plan reads besides the events: enabled endpoints, mail settings (with a mailer), receipts (with a fiscal service). */
export async function effectSettings(deps: AppDeps, tx: StorageTx): Promise<EffectSettings<WebhookEndpointRecord>> {
  const endpoints = (await tx.listWebhookEndpoints()).filter((e) => e.enabled);
  return { endpoints, mail: deps.mailer ? await notificationSettings(tx) : null, fiscal: deps.fiscal !== null };
}

/**
 * Appends planned events to the order's timeline, queues what they set off (queueEffects) and
 * appends the fiscal follow-ups after them. `order` is the order as the events leave it, before
 * any fiscal follow-up. Returns every event appended.
 */
export async function recordPlanned(
  deps: AppDeps,
  tx: StorageTx,
  input: { order: Order; attemptOf: AttemptReader; at: string },
  events: readonly NewOrderEvent[],
  plan: EffectPlan<WebhookEndpointRecord>,
): Promise<OrderEvent[]> {
  const { order, at } = input;
  const appended = await appendTimeline(deps, tx, order.id, at, events);
  if (!setsOffAnything(appended)) return appended;
  const followUps = await queueEffects(deps, tx, input, appended, plan);
  if (followUps.length > 0) appended.push(...(await appendTimeline(deps, tx, order.id, at, followUps)));
  return appended;
}

/**
 * Queues a plan's effects in the caller's transaction: the receipts, then one outbox message per
 * receipt, webhook target and mail, each at its event's place on the timeline. `appended` are the
 * planned events as the timeline took them; `order` is the order as they left it. Returns the
 * fiscal follow-up events, each naming its receipt, for the caller to append.
 */
export async function queueEffects(
  deps: AppDeps,
  tx: StorageTx,
  input: { order: Order; attemptOf: AttemptReader; at: string },
  appended: readonly OrderEvent[],
  plan: EffectPlan<WebhookEndpointRecord>,
): Promise<NewOrderEvent[]> {
  const { order, at } = input;
  const messages: OutboxMessage[] = [];
  const followUps: NewOrderEvent[] = [];
  const message = (m: Pick<OutboxMessage, 'topic' | 'eventType' | 'target' | 'payload'>, seq: number) => {
    messages.push({
      ...m,
      id: deps.random.orderedId('msg'),
      orderId: order.id,
      orderSeq: seq,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastError: null,
      createdAt: at,
      queuedAt: at,
      deliveredAt: null,
      // The request that caused this change (see AppDeps.requestContext): support can follow a
      // webhook back to the API call or callback that set it off, in the logs.
      requestId: deps.requestContext.requestId(),
    });
  };
  for (const [i, event] of appended.entries()) {
    for (const fx of plan.perEvent[i] ?? []) {
      if (fx.kind === 'receipt') {
        const receipt = { ...fx.receipt, id: deps.random.id('rcpt'), createdAt: at, updatedAt: at };
        await tx.insertReceipt(receipt);
        const eventType = `receipt.${receipt.kind}`;
        message({ topic: 'fiscal', eventType, target: 'fiscal', payload: { receipt_id: receipt.id } }, event.seq);
        followUps.push({ ...fx.followUp, data: { ...fx.followUp.data, receipt_id: receipt.id } });
      } else if (fx.kind === 'webhook') {
        // The payload is built (and what it names read) only when some endpoint takes this event.
        const payload = await webhookPayload(tx, input.attemptOf, order, event, fx.type);
        for (const ep of fx.endpoints) {
          const body = withStoreStatus(payload, ep, order);
          message({ topic: 'webhook', eventType: fx.type, target: ep.id, payload: body }, event.seq);
        }
      } else {
        message({ topic: 'email', eventType: `mail.${fx.mail.kind}`, target: fx.target, payload: fx.mail }, event.seq);
      }
    }
  }
  await tx.insertOutbox(messages);
  return followUps;
}
