import type { FastifyInstance } from 'fastify';
import { resendOutboxMessage } from '../../app/deliver-outbox.js';
import { webhookDeliveries, webhookMessageOf } from '../../app/queries/admin-settings.js';
import { html } from '../../web/html.js';
import { badge, csrfField, orderLink, refusal, render, seeOther, userActor, when, who } from '../render.js';
import { noticeOf, settingsCrumb } from './settings-common.js';
import { WEBHOOKS } from './settings-webhooks.js';
import { listTable } from '../list-table.js';

const NOTICES = { resent: 'The message was put back in the queue; it goes out again with the same webhook id.' };
const LIMIT = 100;

/** One endpoint's delivery log (its outbox messages, newest first) with a resend button per message. */
export async function webhookDeliveryPages(app: FastifyInstance) {
  app.get<{ Params: { id: string } }>(
    '/settings/webhooks/:id/deliveries',
    { config: { permission: 'settings.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const log = await webhookDeliveries(req.deps, req.params.id, LIMIT);
      if (!log)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'webhook_endpoint_not_found', message: 'There is no such webhook endpoint.' },
          { href: WEBHOOKS, label: 'Back to the webhook endpoints' },
        );
      const { endpoint: e, messages, refs } = log;
      const back = `${WEBHOOKS}/${e.id}/deliveries`;
      const rows = messages.map((m) => {
        const action =
          m.status === 'pending'
            ? html`<small>queued</small>`
            : !e.enabled
              ? html`<small>enable the endpoint to resend</small>`
              : html`<form method="post" action="${back}/${m.id}/resend" class="inline">
                  ${csrfField(ctx)}<button
                    type="submit"
                    data-testid="resend-${m.id}"
                    aria-label="Resend ${m.eventType} ${m.id}"
                  >
                    Resend
                  </button>
                </form>`;
        return html`<tr data-testid="delivery-row" data-message-id="${m.id}">
          <td>${when(m.createdAt)}</td>
          <td>${m.eventType}</td>
          <td>${orderLink(m.orderId, refs)}</td>
          <td>${badge(m.status)}</td>
          <td>${m.attempts}</td>
          <td class="wrap">${m.lastError ?? ''}</td>
          <td>${when(m.deliveredAt)}</td>
          <td><small>${m.id}</small></td>
          <td>${action}</td>
        </tr>`;
      });
      const body = html`${settingsCrumb({ href: `${WEBHOOKS}/${e.id}`, label: e.url })}
        <p>
          ${badge(e.enabled ? 'enabled' : 'disabled')} The newest ${LIMIT} messages to this endpoint. A resent message
          keeps its id, so the store can tell it has seen it.
        </p>
        ${listTable({ columns: ['Created', 'Event', 'Order', 'Status', 'Tries', 'Last error', 'Delivered', 'Webhook id', 'Action'], rows, empty: 'Nothing was sent to this endpoint yet.' })}`;
      return render(req.deps, req, reply, { title: 'Delivery log', body, notice: noticeOf(req, NOTICES) });
    },
  );

  app.post<{ Params: { id: string; msg: string } }>(
    '/settings/webhooks/:id/deliveries/:msg/resend',
    { config: { permission: 'settings.write' } },
    async (req, reply) => {
      const back = {
        href: `${WEBHOOKS}/${encodeURIComponent(req.params.id)}/deliveries`,
        label: 'Back to the delivery log',
      };
      const m = await webhookMessageOf(req.deps, req.params.id, req.params.msg);
      if (!m)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'outbox_message_not_found', message: 'This endpoint has no such message.' },
          back,
        );
      const r = await resendOutboxMessage(req.deps, m.id, userActor(req));
      if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
      return seeOther(reply, `${back.href}?notice=resent`);
    },
  );
}
