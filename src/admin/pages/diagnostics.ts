import type { FastifyInstance } from 'fastify';
import { retryOutboxMessage } from '../../app/deliver-outbox.js';
import { outboxLog } from '../../app/queries/admin-diagnostics.js';
import { OUTBOX_STATUSES, type OutboxMessage, type OutboxStatus, type OutboxTopic } from '../../domain/outbox.js';
import { can } from '../../domain/roles.js';
import { html, type Html } from '../../web/html.js';
import type { AdminContext } from '../context.js';
import { badge, csrfField, orderLink, refusal, render, seeOther, when, who } from '../render.js';
import { callbackLogPages } from './callbacks.js';
import { listTable } from '../list-table.js';

const LIMIT = 100;
const TOPICS: readonly OutboxTopic[] = ['webhook', 'email', 'fiscal'];
const NOTICES: Record<string, string> = {
  requeued: 'The message is back in the queue; the worker sends it on its next round.',
};

type Query = Record<string, unknown>;
const text = (q: Query, name: string, max = 64): string =>
  typeof q[name] === 'string' && (q[name] as string).trim().length <= max ? (q[name] as string).trim() : '';
const oneOf = <T extends string>(q: Query, name: string, values: readonly T[]): T | undefined =>
  (values as readonly string[]).includes(text(q, name)) ? (text(q, name) as T) : undefined;

const option = (value: string, label: string, chosen: string | undefined) =>
  html`<option value="${value}" ${value === chosen ? html` selected` : ''}>${label}</option>`;

/**
 * What a stuck order needs diagnosed: the callbacks as received (./callbacks.ts) and the outbox,
 * with a failed message put back in the queue.
 */
export async function diagnosticsPages(app: FastifyInstance): Promise<void> {
  await callbackLogPages(app);

  app.get<{ Querystring: Query }>('/outbox', { config: { permission: 'diagnostics.read' } }, async (req, reply) => {
    const ctx = who(req);
    const q = req.query;
    const f = {
      status: oneOf<OutboxStatus>(q, 'status', OUTBOX_STATUSES),
      topic: oneOf(q, 'topic', TOPICS),
      order_id: text(q, 'order_id'),
      target: text(q, 'target', 300),
    };
    const { messages, endpoints, refs } = await outboxLog(req.deps, {
      ...(f.status && { status: f.status }),
      ...(f.topic && { topic: f.topic }),
      ...(f.order_id && { orderId: f.order_id }),
      ...(f.target && { target: f.target }),
      limit: LIMIT,
    });
    const urls = new Map(endpoints.map((e) => [e.id, e.url]));

    const form = html`<form
      method="get"
      action="/admin/outbox"
      class="filters"
      role="search"
      aria-label="Filter outbox messages"
    >
      <label
        >Status
        <select name="status">
          <option value="">any</option>
          ${OUTBOX_STATUSES.map((s) => option(s, s, f.status))}
        </select></label
      >
      <label
        >Topic
        <select name="topic">
          <option value="">any</option>
          ${TOPICS.map((t) => option(t, t, f.topic))}
        </select></label
      >
      <label>Order id <input name="order_id" value="${f.order_id}" size="16" /></label>
      <label
        >Target
        <input
          name="target"
          value="${f.target}"
          size="16"
          list="targets"
          placeholder="endpoint id, mail:customer, fiscal"
      /></label>
      <datalist id="targets">
        ${endpoints.map((e) => html`<option value="${e.id}">${e.url}</option>`)}
        <option value="mail:customer"></option>
        <option value="mail:department"></option>
        <option value="fiscal"></option>
      </datalist>
      <button type="submit">Filter</button> <a href="/admin/outbox">Clear</a> ·
      <a href="/admin/outbox?status=failed">Failed</a> · <a href="/admin/outbox?status=pending">Pending</a>
    </form>`;
    const rows = messages.map((m) => outboxRow(m, ctx, refs, urls));
    const body = html`${form}
      ${listTable({ columns: ['Topic', 'Event', 'Target', 'Status', 'Tries', 'Next try', 'Last error', 'Order', 'Created', 'Delivered', 'Action'], rows, empty: 'No messages match.', testId: 'outbox-table' })}
      <p>
        <small
          >${messages.length >= LIMIT ? `The newest ${LIMIT}; narrow the filters for older ones.` : `${messages.length} message(s).`}</small
        >
      </p>`;
    return render(req.deps, req, reply, {
      title: 'Outbox',
      body,
      notice: typeof q.notice === 'string' && Object.hasOwn(NOTICES, q.notice) ? NOTICES[q.notice] : undefined,
    });
  });

  app.post<{ Params: { id: string } }>(
    '/outbox/:id/retry',
    { config: { permission: 'diagnostics.resend' } },
    async (req, reply) => {
      const r = await retryOutboxMessage(req.deps, req.params.id);
      if (!r.ok)
        return refusal(req.deps, req, reply, r.error, {
          href: '/admin/outbox?status=failed',
          label: 'Back to the failed messages',
        });
      return seeOther(
        reply,
        `/admin/outbox?${new URLSearchParams({ ...(r.value.orderId && { order_id: r.value.orderId }), notice: 'requeued' }).toString()}`,
      );
    },
  );
}

function outboxRow(m: OutboxMessage, ctx: AdminContext, refs: Map<string, string>, urls: Map<string, string>): Html {
  const target =
    m.topic === 'webhook' ? html`${urls.get(m.target) ?? m.target}<br /><small>${m.target}</small>` : html`${m.target}`;
  // Payloads can hold the customer's e-mail address: only for roles that may read diagnostics.
  const payload = can(ctx.user.role, 'diagnostics.read')
    ? html`<details data-testid="outbox-payload">
        <summary>Payload</summary>
        <pre style="white-space:pre-wrap;word-break:break-all">${JSON.stringify(m.payload, null, 2)}</pre>
        <small>id ${m.id}</small>
      </details>`
    : '';
  const retry =
    m.status === 'failed' && can(ctx.user.role, 'diagnostics.resend')
      ? html`<form method="post" action="/admin/outbox/${m.id}/retry" class="inline">
          ${csrfField(ctx)}<button type="submit" data-testid="retry-message">Put back in queue</button>
        </form>`
      : '';
  return html`<tr
    data-testid="outbox-row"
    data-message-id="${m.id}"
    data-status="${m.status}"
    data-event-type="${m.eventType}"
  >
    <td>${m.topic}</td>
    <td>${m.eventType}</td>
    <td class="wrap">${target}</td>
    <td>${badge(m.status)}</td>
    <td>${m.attempts}</td>
    <td>${m.status === 'pending' ? when(m.nextAttemptAt) : ''}</td>
    <td class="wrap">${m.lastError ?? ''}</td>
    <td>${orderLink(m.orderId, refs)}</td>
    <td>${when(m.createdAt)}</td>
    <td>${when(m.deliveredAt)}</td>
    <td>${retry}${payload}</td>
  </tr>`;
}
