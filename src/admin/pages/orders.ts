import type { FastifyInstance } from 'fastify';
import { orderListPage } from '../../app/queries/admin-orders.js';
import type { OrderFilters } from '../../app/queries/index.js';
import { ORDER_DELIVERY_STATUSES } from '../../domain/delivery.js';
import { ORDER_STATUSES, PAYMENT_STATUSES } from '../../domain/order-status.js';
import { FISCAL_STATUSES } from '../../domain/receipt.js';
import { REVIEW_STATUSES } from '../../domain/review.js';
import { html, type Html } from '../../web/html.js';
import { badge, money, render, when } from '../render.js';
import { listTable, pager } from '../list-table.js';

const TRACKS: { name: keyof OrderFilters; label: string; values: readonly string[] }[] = [
  { name: 'status', label: 'Order', values: ORDER_STATUSES },
  { name: 'payment_status', label: 'Payment', values: PAYMENT_STATUSES },
  { name: 'delivery_status', label: 'Delivery', values: ORDER_DELIVERY_STATUSES },
  { name: 'fiscal_status', label: 'Fiscal', values: FISCAL_STATUSES },
  { name: 'review_status', label: 'Review', values: REVIEW_STATUSES },
  { name: 'sync', label: 'Sync', values: ['pending', 'failed'] },
];

const PAGE_SIZE = 50;

// The same checks as the API's query schema: a filter outside its list is ignored with a
// message instead of failing the page, because people edit these URLs by hand.
function readFilters(q: Record<string, unknown>): { filters: OrderFilters; ignored: string[] } {
  const filters: Record<string, string> = {};
  const ignored: string[] = [];
  for (const t of TRACKS) {
    const v = q[t.name];
    if (typeof v !== 'string' || v === '') continue;
    if (t.values.includes(v)) filters[t.name] = v;
    else ignored.push(`${t.label} "${v}"`);
  }
  for (const name of ['payment_method_id', 'created_from', 'created_to', 'reference'] as const) {
    const v = q[name];
    if (typeof v === 'string' && v.trim() !== '' && v.length <= 100) filters[name] = v.trim();
  }
  return { filters: filters as OrderFilters, ignored };
}

/** The order list: every track, payment method, day and reference as filters; 50 a page by keyset. */
export async function orderListPages(app: FastifyInstance) {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/orders',
    { config: { permission: 'orders.read' } },
    async (req, reply) => {
      const { filters, ignored } = readFilters(req.query);
      const cursor =
        typeof req.query.cursor === 'string' && req.query.cursor.length <= 200 ? req.query.cursor : undefined;
      const { listed: r, methods, attempts } = await orderListPage(req.deps, { ...filters, limit: PAGE_SIZE, cursor });
      const error =
        [
          !r.ok ? r.error.message : undefined,
          ignored.length ? `Ignored unknown filter value(s): ${ignored.join(', ')}.` : undefined,
        ]
          .filter(Boolean)
          .join(' ') || undefined;
      const orders = r.ok ? r.value.orders : [];
      const methodName = new Map(methods.map((m) => [m.id, m.name]));
      const next =
        r.ok && r.value.nextCursor
          ? `/admin/orders?${new URLSearchParams({ ...(filters as Record<string, string>), cursor: r.value.nextCursor })}`
          : undefined;

      const filterForm = html`<form
        method="get"
        action="/admin/orders"
        class="filters"
        role="search"
        aria-label="Filter orders"
      >
        <label
          >Reference <input name="reference" value="${filters.reference ?? ''}" size="14" placeholder="ORD-1 or ORD*"
        /></label>
        ${TRACKS.map((t) => select(t.name, t.label, t.values, filters[t.name]))}
        <label
          >Payment method
          <select name="payment_method_id">
            <option value="">any</option>
            ${methods.map((m) => html`<option value="${m.id}" ${m.id === filters.payment_method_id ? html` selected` : ''}>${m.name}</option>`)}
          </select></label
        >
        <label>From <input type="date" name="created_from" value="${filters.created_from ?? ''}" /></label>
        <label>To <input type="date" name="created_to" value="${filters.created_to ?? ''}" /></label>
        <button type="submit">Filter</button> <a href="/admin/orders">Clear</a>
      </form>`;

      const rows = orders.map((o) => {
        const methodIds = [...new Set((attempts.get(o.id) ?? []).map((a) => a.paymentMethodId))];
        return html`<tr data-testid="order-row">
          <td><a href="/admin/orders/${o.id}">${o.reference}</a></td>
          <td>${when(o.createdAt)}</td>
          <td>${money(o.amount, o.currency)}</td>
          <td>${badge(o.status)}</td>
          <td>${badge(o.paymentStatus)}</td>
          <td>${badge(o.deliveryStatus)}</td>
          <td>${badge(o.fiscalStatus)}</td>
          <td>${badge(o.reviewStatus)}</td>
          <td>${methodIds.map((id) => methodName.get(id) ?? id).join(', ')}</td>
        </tr>`;
      });
      const body = html`${filterForm}
        ${listTable({ columns: ['Reference', 'Created', 'Amount', 'Order', 'Payment', 'Delivery', 'Fiscal', 'Review', 'Method'], rows, empty: 'No orders match.', caption: 'Orders, newest first' })}
        ${pager({
          first: cursor ? `/admin/orders?${new URLSearchParams(filters as Record<string, string>).toString()}` : null,
          next: next ?? null,
        })}`;
      return render(req.deps, req, reply, { title: 'Orders', body, error, status: r.ok ? 200 : 400 });
    },
  );
}

function select(name: string, label: string, values: readonly string[], chosen: string | undefined): Html {
  return html`<label
    >${label}
    <select name="${name}">
      <option value="">any</option>
      ${values.map((v) => html`<option value="${v}" ${v === chosen ? html` selected` : ''}>${v.replaceAll('_', ' ')}</option>`)}
    </select></label
  >`;
}
