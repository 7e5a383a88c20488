import type { OutboxMessage } from '../domain/outbox.js';
import { retryDelayMs } from '../domain/outbox.js';
import { deriveFiscalStatus } from '../domain/receipt.js';
import { fail, ok, type Err, type Failure, type Result } from '../domain/result.js';
import { Secret } from '../domain/secret.js';
import type { Actor, NewOrderEvent, NewTask } from '../domain/timeline.js';
import type { StorageTx } from '../ports/storage.js';
import { nowIso, type AppDeps } from './deps.js';
import { openTasks } from './open-tasks.js';
import { recordEvents } from './record-events.js';

/** Claims due messages for this worker (see StorageTx.claimOutbox for the guarantees). */
export async function claimOutbox(deps: AppDeps, holder: string, limit: number): Promise<OutboxMessage[]> {
  const now = deps.clock.now();
  return deps.storage.transaction((tx) =>
    tx.claimOutbox({
      now: now.toISOString(),
      holder,
      leaseUntil: new Date(now.getTime() + deps.outbox.leaseMs).toISOString(),
      limit,
    }),
  );
}

type Delivery = Result<
  { summary: string; receipt?: { providerRef: string; fiscalNumber: string } },
  Failure & { permanent: boolean }
>;

/**
 * Delivers one claimed message, then records the result with its timeline event, receipt
 * status and tasks in one transaction. A crash between the two leaves the message
 * claimed; once the claim expires it is sent again with the same id: at least once, never lost.
 */
export async function deliverOutboxMessage(
  deps: AppDeps,
  msg: OutboxMessage,
): Promise<'delivered' | 'retrying' | 'failed'> {
  // A delivery that throws (a bug, an undecryptable secret) counts as a failed try, so it too is
  // given up after the last one instead of being claimed again forever.
  const result = await send(deps, msg).catch((err: unknown): Delivery => ({
    ok: false,
    error: {
      code: 'delivery_error',
      message: `Delivery failed unexpectedly (${err instanceof Error ? err.name : 'error'}).`,
      permanent: false,
    },
  }));
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    if (msg.orderId) await tx.lockOrder(msg.orderId);
    const current = await tx.getOutbox(msg.id);
    // Another worker finished it after this one's claim expired: its result stands.
    if (!current || current.status !== 'pending') return current?.status === 'failed' ? 'failed' : 'delivered';
    if (result.ok) {
      await tx.updateOutbox(msg.id, { status: 'delivered', deliveredAt: at, lastError: null, release: true });
      await onDelivered(deps, tx, msg, result.value, at);
      return 'delivered';
    }
    const giveUp = result.error.permanent || current.attempts >= deps.outbox.retry.maxAttempts;
    if (giveUp) {
      await tx.updateOutbox(msg.id, { status: 'failed', lastError: result.error.message, release: true });
      await onGivenUp(deps, tx, msg, result.error.message, at);
      return 'failed';
    }
    const delay = retryDelayMs(current.attempts, deps.outbox.retry, Math.random());
    await tx.updateOutbox(msg.id, {
      nextAttemptAt: new Date(deps.clock.now().getTime() + delay).toISOString(),
      lastError: result.error.message,
      release: true,
    });
    if (current.attempts === 1) await onFirstFailure(deps, tx, msg, result.error.message, at);
    return 'retrying';
  });
}

async function send(deps: AppDeps, msg: OutboxMessage): Promise<Delivery> {
  const retry = (f: Failure): Delivery => ({ ok: false, error: { ...f, permanent: false } });
  const giveUp = (f: Failure): Delivery => ({ ok: false, error: { ...f, permanent: true } });
  switch (msg.topic) {
    case 'webhook': {
      const ep = await deps.storage.read.getWebhookEndpoint(msg.target);
      if (!ep || !ep.enabled)
        return giveUp({ code: 'endpoint_gone', message: 'The webhook endpoint was disabled or removed.' });
      const r = await deps.webhooks.send({
        url: ep.url,
        id: msg.id,
        timestamp: Math.floor(deps.clock.now().getTime() / 1000),
        body: JSON.stringify(msg.payload),
        secret: new Secret(deps.secretBox.decrypt(ep.secretCiphertext)),
      });
      return r.ok ? ok({ summary: `${new URL(ep.url).host} was told of ${msg.eventType}.` }) : retry(r.error);
    }
    case 'email': {
      if (!deps.mailer)
        return retry({ code: 'mail_unconfigured', message: 'No SMTP server is configured (SMTP_URL).' });
      const p = msg.payload as { from: string; to: string; subject: string; text: string };
      const r = await deps.mailer.send({ id: msg.id, from: p.from, to: p.to, subject: p.subject, text: p.text });
      const who = msg.target === 'mail:customer' ? 'the customer' : 'the order department';
      if (r.ok) return ok({ summary: `E-mail "${p.subject}" sent to ${who}.` });
      return r.error.code === 'mail_rejected' ? giveUp(r.error) : retry(r.error);
    }
    case 'fiscal': {
      const receipt = await deps.storage.read.getReceipt(String(msg.payload.receipt_id));
      if (!receipt) return giveUp({ code: 'receipt_gone', message: 'The receipt is missing.' });
      if (receipt.status !== 'pending') return ok({ summary: 'The receipt was already settled.' });
      if (!deps.fiscal)
        return retry({ code: 'fiscal_unconfigured', message: 'No fiscal service is configured (FISCAL_URL).' });
      const order = await deps.storage.read.getOrder(receipt.orderId);
      const r = await deps.fiscal.issue({
        id: receipt.id,
        kind: receipt.kind,
        orderReference: order?.reference ?? receipt.orderId,
        currency: receipt.currency,
        total: receipt.amount,
        items: receipt.items,
        ...(order?.customer.email && { customerEmail: order.customer.email }),
      });
      if (r.ok) return ok({ summary: `Fiscal receipt ${r.value.fiscalNumber} issued.`, receipt: r.value });
      return r.error.code === 'fiscal_rejected' ? giveUp(r.error) : retry(r.error);
    }
  }
}

async function onDelivered(
  deps: AppDeps,
  tx: StorageTx,
  msg: OutboxMessage,
  d: { summary: string; receipt?: { providerRef: string; fiscalNumber: string } },
  at: string,
) {
  if (!msg.orderId) return;
  if (msg.topic === 'fiscal') {
    const receiptId = String(msg.payload.receipt_id);
    if (!d.receipt) return;
    await tx.updateReceipt(receiptId, {
      status: 'issued',
      providerRef: d.receipt.providerRef,
      fiscalNumber: d.receipt.fiscalNumber,
      error: null,
      updatedAt: at,
    });
    await setFiscalStatus(tx, msg.orderId, at);
    await recordEvents(deps, tx, msg.orderId, at, [
      { kind: 'receipt.issued', actor: 'system', summary: d.summary, data: { receipt_id: receiptId } },
    ]);
    return;
  }
  await recordEvents(deps, tx, msg.orderId, at, [
    {
      kind: `${msg.topic === 'webhook' ? 'sync' : 'mail'}.delivered`,
      actor: 'system',
      summary: d.summary,
      data: { message_id: msg.id },
    },
  ]);
}

async function onFirstFailure(deps: AppDeps, tx: StorageTx, msg: OutboxMessage, error: string, at: string) {
  if (!msg.orderId) return;
  await recordEvents(deps, tx, msg.orderId, at, [
    {
      kind: `${msg.topic === 'webhook' ? 'sync' : msg.topic === 'email' ? 'mail' : 'receipt'}.retrying`,
      actor: 'system',
      summary: `${describe(msg)} failed (${error}); Settle keeps trying with back-off.`,
      data: { message_id: msg.id },
    },
  ]);
}

async function onGivenUp(deps: AppDeps, tx: StorageTx, msg: OutboxMessage, error: string, at: string) {
  const events: NewOrderEvent[] = [];
  const tasks: NewTask[] = [];
  if (msg.topic === 'fiscal') {
    const receiptId = String(msg.payload.receipt_id);
    await tx.updateReceipt(receiptId, { status: 'failed', error, updatedAt: at });
    if (msg.orderId) await setFiscalStatus(tx, msg.orderId, at);
    events.push({
      kind: 'receipt.failed',
      actor: 'system',
      summary: `The fiscal receipt was not issued: ${error}`,
      data: { receipt_id: receiptId },
    });
    tasks.push({
      kind: 'receipt_failed',
      orderId: msg.orderId,
      reason: `The fiscal service did not issue receipt ${receiptId}: ${error}. Issue it by hand, then resolve this task. The payment is not affected.`,
    });
  } else {
    events.push({
      kind: `${msg.topic === 'webhook' ? 'sync' : 'mail'}.failed`,
      actor: 'system',
      summary: `${describe(msg)} was given up: ${error}`,
      data: { message_id: msg.id },
    });
    tasks.push({
      kind: 'message_failed',
      orderId: msg.orderId,
      reason: `${describe(msg)} was given up after ${msg.attempts} tries: ${error}. Fix the receiver, then retry message ${msg.id} (POST /v1/outbox/${msg.id}/retry).`,
    });
  }
  if (msg.orderId) await recordEvents(deps, tx, msg.orderId, at, events);
  await openTasks(deps, tx, tasks, at);
}

async function setFiscalStatus(tx: StorageTx, orderId: string, at: string) {
  await tx.updateOrder(orderId, { fiscalStatus: deriveFiscalStatus(await tx.listReceipts(orderId)), updatedAt: at });
}

function describe(msg: OutboxMessage): string {
  if (msg.topic === 'webhook') return `Webhook ${msg.eventType} to endpoint ${msg.target}`;
  if (msg.topic === 'email') return `E-mail ${msg.eventType.replace('mail.', '')}`;
  return `The fiscal receipt (${msg.eventType})`;
}

/** Puts a given-up message back in the queue, for after the receiver was fixed. */
export async function retryOutboxMessage(deps: AppDeps, id: string): Promise<Result<OutboxMessage>> {
  return putBack(deps, id, async (m) =>
    m.status !== 'failed'
      ? fail('outbox_message_not_failed', `Message ${id} is ${m.status}; only a failed one is put back.`)
      : undefined,
  );
}

/**
 * Sends a delivered or given-up message again, with the same id (the webhook-id, the
 * Message-ID), so a receiver that has it already can tell: it goes back in the queue with its
 * tries counted afresh, and the order's timeline says who asked. A webhook goes only to an
 * enabled endpoint; a fiscal receipt already issued is not issued again.
 */
export async function resendOutboxMessage(deps: AppDeps, id: string, actor: Actor): Promise<Result<OutboxMessage>> {
  const refuse = async (m: OutboxMessage, tx: StorageTx) => {
    if (m.status === 'pending')
      return fail('outbox_message_pending', `Message ${id} is still queued; it will be sent without being put back.`);
    if (m.topic === 'fiscal' && m.status === 'delivered')
      return fail('outbox_message_not_resendable', 'This receipt was issued; a receipt is not issued twice.');
    if (m.topic === 'webhook') {
      const ep = await tx.getWebhookEndpoint(m.target);
      if (!ep?.enabled)
        return fail(
          'webhook_endpoint_disabled',
          `Webhook endpoint ${m.target} is disabled: enable it first, then resend.`,
        );
    }
    return undefined;
  };
  return putBack(deps, id, refuse, actor);
}

/** Back in the queue under the order's lock (the receipt and the fiscal track may change with it), tries afresh. */
async function putBack(
  deps: AppDeps,
  id: string,
  refuse: (m: OutboxMessage, tx: StorageTx) => Promise<Err<Failure> | undefined>,
  actor?: Actor,
): Promise<Result<OutboxMessage>> {
  const at = nowIso(deps);
  return deps.storage.transaction(async (tx) => {
    const found = await tx.getOutbox(id);
    if (!found) return fail('outbox_message_not_found', `There is no outbox message ${id}.`);
    if (found.orderId) await tx.lockOrder(found.orderId);
    const m = (await tx.getOutbox(id))!;
    const refused = await refuse(m, tx);
    if (refused) return refused;
    if (m.topic === 'fiscal')
      await tx.updateReceipt(String(m.payload.receipt_id), { status: 'pending', error: null, updatedAt: at });
    await tx.updateOutbox(id, {
      status: 'pending',
      nextAttemptAt: at,
      queuedAt: at,
      deliveredAt: null,
      attempts: 0,
      release: true,
    });
    if (m.orderId && m.topic === 'fiscal') await setFiscalStatus(tx, m.orderId, at);
    if (m.orderId && actor) {
      const track = m.topic === 'webhook' ? 'sync' : m.topic === 'email' ? 'mail' : 'receipt';
      await recordEvents(deps, tx, m.orderId, at, [
        {
          kind: `${track}.resent`,
          actor,
          summary: `${describe(m)} was put back in the queue to be sent again (same message id).`,
          data: { message_id: m.id },
        },
      ]);
    }
    return ok({ ...m, status: 'pending' as const, nextAttemptAt: at, queuedAt: at, deliveredAt: null, attempts: 0 });
  });
}
