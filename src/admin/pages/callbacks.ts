import type { FastifyInstance } from 'fastify';
import { callbackLog } from '../../app/queries/admin-diagnostics.js';
import { CALLBACK_OUTCOMES } from '../../contract/callback-record.js';
import type { CallbackOutcome, CallbackRecord } from '../../domain/callback-record.js';
import { html, type Html } from '../../web/html.js';
import { badge, orderLink, render, when } from '../render.js';
import { listTable, pager } from '../list-table.js';

const PAGE_SIZE = 100;

type Query = Record<string, unknown>;
const text = (q: Query, name: string, max = 64): string =>
  typeof q[name] === 'string' && (q[name] as string).trim().length <= max ? (q[name] as string).trim() : '';

const option = (value: string, label: string, chosen: string | undefined) =>
  html`<option value="${value}" ${value === chosen ? html` selected` : ''}>${label}</option>`;

/**
 * The callback log as received (secrets were redacted before it was stored), newest first, 100 a
 * page by keyset like the order list, filtered by method, outcome, provider reference and order.
 * The order page links here with ?order_id=.
 */
export async function callbackLogPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Query }>('/callbacks', { config: { permission: 'diagnostics.read' } }, async (req, reply) => {
    const q = req.query;
    const outcome = text(q, 'outcome');
    const filters: Record<string, string> = Object.fromEntries(
      Object.entries({
        payment_method_id: text(q, 'payment_method_id'),
        outcome: (CALLBACK_OUTCOMES as readonly string[]).includes(outcome) ? outcome : '',
        provider_ref: text(q, 'provider_ref', 200),
        order_id: text(q, 'order_id'),
      }).filter(([, v]) => v !== ''),
    );
    const cursor = text(q, 'cursor', 200) || undefined;
    const { listed, callbacks, methods, refs } = await callbackLog(req.deps, {
      paymentMethodId: filters.payment_method_id,
      outcome: filters.outcome as CallbackOutcome | undefined,
      providerRef: filters.provider_ref,
      orderId: filters.order_id,
      limit: PAGE_SIZE,
      cursor,
    });
    const names = new Map(methods.map((m) => [m.id, m.name]));
    const next =
      listed.ok && listed.value.nextCursor
        ? `/admin/callbacks?${new URLSearchParams({ ...filters, cursor: listed.value.nextCursor }).toString()}`
        : undefined;
    const first = `/admin/callbacks?${new URLSearchParams(filters).toString()}`;

    const form = html`<form
      method="get"
      action="/admin/callbacks"
      class="filters"
      role="search"
      aria-label="Filter callbacks"
    >
      <label
        >Payment method
        <select name="payment_method_id">
          <option value="">any</option>
          ${methods.map((m) => option(m.id, m.name, filters.payment_method_id))}
        </select></label
      >
      <label
        >Outcome
        <select name="outcome">
          <option value="">any</option>
          ${CALLBACK_OUTCOMES.map((o) => option(o, o, filters.outcome))}
        </select></label
      >
      <label>Provider ref <input name="provider_ref" value="${filters.provider_ref ?? ''}" size="16" /></label>
      <label
        >Order id <input name="order_id" value="${filters.order_id ?? ''}" size="16" data-testid="callback-order-filter"
      /></label>
      <button type="submit">Filter</button> <a href="/admin/callbacks">Clear</a>
    </form>`;
    const rows = callbacks.map((c) => callbackRow(c, names, refs));
    const body = html`${form}
      <p><small>Newest first, as received; secrets were taken out before anything was stored.</small></p>
      ${listTable({ columns: ['Received', 'Method', 'Outcome', 'Verified', 'Reason', 'Provider ref', 'Provider status', 'Order', 'Request'], rows, empty: 'No callbacks match.', testId: 'callback-table' })}
      ${pager({ first: cursor ? first : null, next: next ?? null, nextTestId: 'callbacks-next' })}`;
    return render(req.deps, req, reply, {
      title: 'Callbacks',
      body,
      error: listed.ok ? undefined : listed.error.message,
      status: listed.ok ? 200 : 400,
    });
  });
}

function callbackRow(c: CallbackRecord, names: Map<string, string>, refs: Map<string, string>): Html {
  return html`<tr data-testid="callback-row" data-callback-id="${c.id}" data-outcome="${c.outcome}">
    <td>${when(c.receivedAt)}</td>
    <td>${names.get(c.paymentMethodId) ?? c.paymentMethodId}</td>
    <td>${badge(c.outcome)}</td>
    <td>${c.verified ? 'yes' : html`<strong>no</strong>`}</td>
    <td class="wrap">${c.reason ?? ''}</td>
    <td>${c.providerRef ?? ''}</td>
    <td>${c.providerStatus ?? ''}</td>
    <td>${orderLink(c.orderId, refs)}</td>
    <td class="wrap">
      <details data-testid="callback-details">
        <summary>${c.method} request</summary>
        <h3>Headers</h3>
        <dl>
          ${Object.entries(c.headers).map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
        <h3>Query</h3>
        <pre style="white-space:pre-wrap;word-break:break-all">${c.query || '(none)'}</pre>
        <h3>Body</h3>
        <pre style="white-space:pre-wrap;word-break:break-all" data-testid="callback-body">
${c.body || '(empty)'}</pre>
      </details>
    </td>
  </tr>`;
}
