import { eventView } from '../../contract/timeline-event.js';
import { orderDetailView } from '../../contract/order-detail.js';
import type { OrderPageData } from '../../app/queries/admin-orders.js';
import { refundableOf } from '../../domain/refund.js';
import { can } from '../../domain/roles.js';
import { html, type Html } from '../../web/html.js';
import type { AdminContext } from '../context.js';
import { badge, money, when } from '../render.js';
import { orderSummary } from './order-summary.js';
import {
  actionForms,
  captureForm,
  checkForm,
  confirmRefundForm,
  revokeLinkForm,
  shipmentEventForm,
} from './order-forms.js';

/** The three amounts support compares, plus what was paid and what may still go back. */
export function amountsOf(d: OrderPageData) {
  const v = orderDetailView(d.order, d.attempts, d.detail);
  const paid = d.attempts.filter((a) => a.status === 'succeeded').reduce((s, a) => s + a.amount, 0);
  const refundable = d.attempts.reduce(
    (s, a) => s + refundableOf(a, [...d.detail.refunds], [...d.detail.chargebacks]),
    0,
  );
  return { view: v, paid, refundable };
}

/** The whole order page body: every track, every record, the actions this role may take, the timeline. */
export function orderBody(ctx: AdminContext, d: OrderPageData): Html {
  const { view: v, paid, refundable } = amountsOf(d);
  const m = (n: number | null) => (n === null ? '' : money(n, v.currency));
  const methodName = new Map(d.methods.map((pm) => [pm.id, pm.name]));
  const timeline = d.events.map((e) => eventView(e, v.currency));
  const shipmentEvents = (id: string) =>
    timeline.filter((e, i) => e.kind.startsWith('shipment.') && d.events[i]?.data?.shipment_id === id);

  const { amounts, tracks, customer } = orderSummary(v, paid, refundable);
  const lines = section(
    'lines',
    'Lines',
    ['SKU', 'Name', 'Quantity', 'Unit', 'Total'],
    v.lines.map(
      (l) =>
        html`<td>${l.sku}</td>
          <td class="wrap">${l.name}</td>
          <td>${l.quantity}</td>
          <td>${m(l.unit_amount)}</td>
          <td>${m(l.unit_amount * l.quantity)}</td>`,
    ),
    'The order has no lines; it is for its amount.',
  );

  const payments = section(
    'payments',
    'Payment attempts',
    ['Created', 'Method', 'Provider ref', 'Amount', 'Status', 'Verified by', 'Provider said', 'Action'],
    v.payments.map(
      (a) =>
        html`<td>${when(a.created_at)}</td>
          <td>${methodName.get(a.payment_method_id) ?? a.payment_method_id}</td>
          <td>${a.provider_ref}</td>
          <td>${m(a.amount)}</td>
          <td>${badge(a.status)}</td>
          <td>${a.verified_by ?? ''}</td>
          <td>${providerSaid(a.provider_status, a.error_code)}</td>
          <td>
            ${
              d.abilities.get(a.payment_method_id)?.includes('check_status')
                ? checkForm(ctx, v.id, a.id)
                : html`<small>No status check at this provider</small>`
            }
            ${
              a.status === 'authorized' && d.abilities.get(a.payment_method_id)?.includes('capture')
                ? captureForm(ctx, v.id, a.id)
                : ''
            }
          </td>`,
    ),
    'No payment was started.',
  );

  // What of a refund gave back a double payment's surplus (no refund of the order), where any did.
  const surplusPart = (n: number) =>
    n > 0 ? html`<br /><small data-testid="refund-surplus">of which surplus ${m(n)}</small>` : '';
  const refunds = section(
    'refunds',
    'Refunds',
    ['Created', 'Amount', 'Status', 'Reason', 'Actor', 'Provider ref', 'Error', 'Action'],
    v.refunds.map(
      (r) =>
        html`<td>${when(r.created_at)}</td>
          <td>${m(r.amount)}${surplusPart(r.surplus_amount)}</td>
          <td>${badge(r.status)}</td>
          <td class="wrap">${r.reason}</td>
          <td>${r.actor}</td>
          <td>${r.provider_ref ?? ''}</td>
          <td class="wrap">${r.error ?? ''}</td>
          <td>${r.status === 'manual' ? confirmRefundForm(ctx, v.id, r.id) : ''}</td>`,
    ),
    'No refunds.',
  );

  const chargebacks = section(
    'chargebacks',
    'Chargebacks',
    ['Created', 'Amount', 'Reason code', 'Status', 'Source', 'Note'],
    v.chargebacks.map(
      (cb) =>
        html`<td>${when(cb.created_at)}</td>
          <td>${m(cb.amount)}</td>
          <td>${cb.reason_code}</td>
          <td>${badge(cb.status)}</td>
          <td>${cb.source}</td>
          <td class="wrap">${cb.note ?? ''}</td>`,
    ),
    'No chargebacks.',
  );

  const adjustments = section(
    'adjustments',
    'Adjustments',
    ['Created', 'Kind', 'Change', 'Amount', 'Lines', 'Reason', 'Actor'],
    v.adjustments.map(
      (a) =>
        html`<td>${when(a.created_at)}</td>
          <td>${a.kind.replaceAll('_', ' ')}</td>
          <td>${m(a.amount_delta)}</td>
          <td>${m(a.amount_before)} → ${m(a.amount_after)}</td>
          <td>${a.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}</td>
          <td class="wrap">${a.reason}</td>
          <td>${a.actor}</td>`,
    ),
    'No adjustments.',
  );

  // The link's URL holds its token, stored only hashed: it is shown once, on the page that made it.
  const links = section(
    'payment-links',
    'Payment links',
    ['Created', 'Amount', 'Status', 'Expires', 'Reason', 'Actor', 'Action'],
    v.payment_links.map(
      (l) =>
        html`<td>${when(l.created_at)}</td>
          <td>${m(l.amount)}</td>
          <td>${badge(l.status)}</td>
          <td>${when(l.expires_at)}</td>
          <td class="wrap">${l.reason}</td>
          <td>${l.actor}</td>
          <td>${l.status === 'active' ? revokeLinkForm(ctx, v.id, l.id) : ''}</td>`,
    ),
    'No payment links.',
  );

  const shipments = html`<section aria-labelledby="h-shipments">
    <h2 id="h-shipments">Shipments</h2>
    ${
      v.shipments.length === 0
        ? html`<p><small>No shipments.</small></p>`
        : v.shipments.map(
            (s) =>
              html`<article data-testid="shipment" style="overflow-wrap:anywhere">
                <h3>${s.courier ?? 'No courier'} ${s.courier_ref ?? ''} ${badge(s.status)}</h3>
                <p>
                  <small
                    >${s.lines.length ? s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ') : 'The whole order'} ·
                    started ${when(s.created_at)}</small
                  >
                </p>
                ${s.proof ? html`<p data-testid="shipment-proof">Proof of delivery: ${s.proof.kind} ${s.proof.reference} at ${when(s.proof.at)}</p>` : ''}
                <ul>
                  ${shipmentEvents(s.id).map((e) => html`<li>${when(e.at)} · ${e.actor} · ${e.summary}</li>`)}
                </ul>
                ${shipmentEventForm(ctx, v.id, s)}
              </article>`,
          )
    }
  </section>`;

  const receipts = section(
    'receipts',
    'Fiscal receipts',
    ['Created', 'Kind', 'Amount', 'Status', 'Fiscal number', 'Provider ref', 'Error'],
    v.receipts.map(
      (r) =>
        html`<td>${when(r.created_at)}</td>
          <td>${r.kind}</td>
          <td>${m(r.amount)}</td>
          <td>${badge(r.status)}</td>
          <td>${r.fiscal_number ?? ''}</td>
          <td>${r.provider_ref ?? ''}</td>
          <td class="wrap">${r.error ?? ''}</td>`,
    ),
    'No receipts.',
  );

  const tasks = html`${section(
    'tasks',
    'Tasks',
    ['Created', 'Kind', 'Status', 'Owner', 'Reason'],
    d.tasks.map(
      (t) =>
        html`<td>${when(t.createdAt)}</td>
            <td>${t.kind.replaceAll('_', ' ')}</td>
            <td>${badge(t.status)}</td>
            <td>${t.owner ?? ''}</td>
            <td class="wrap">${t.reason}</td>`,
    ),
    'No tasks.',
  )}
    <p>
      <a href="/admin/tasks?order_id=${encodeURIComponent(v.id)}" data-testid="order-tasks-link">Tasks of this order</a>
      ${
        can(ctx.user.role, 'diagnostics.read')
          ? html` · <a href="/admin/callbacks?order_id=${encodeURIComponent(v.id)}" data-testid="order-callbacks-link"
                >Callbacks of this order</a
              >`
          : ''
      }
    </p>`;

  const timelineSection = html`<section
    aria-labelledby="h-timeline"
    data-testid="timeline"
    style="overflow-wrap:anywhere"
  >
    <h2 id="h-timeline">Timeline</h2>
    <ol>
      ${timeline.map(
        (e) =>
          html`<li data-testid="timeline-entry" data-kind="${e.kind}">
            ${when(e.at)} · <strong>${e.actor}</strong> ·
            <code>${e.kind}</code
            >${e.amount === null ? '' : html` · ${m(e.amount)}`}<br />${e.summary}${e.reason ? html`<br /><small>Reason: ${e.reason}</small>` : ''}
          </li>`,
      )}
    </ol>
  </section>`;

  return html`<p><a href="/admin/orders">← Orders</a></p>
    <div class="actions">${amounts}${tracks}${customer}</div>
    ${actionForms(ctx, d, refundable)}
    ${lines}${payments}${refunds}${chargebacks}${adjustments}${links}${shipments}${receipts}${tasks}${timelineSection}`;
}

/** What the provider said of an attempt, each fact once: its status, and its error code unless the status holds it (`error#5001`). */
export function providerSaid(status: string | null, code: string | null): Html {
  if (!code || status?.includes(code)) return html`${status ?? ''}`;
  return status ? html`${status} <small>${code}</small>` : html`${code}`;
}

/** A section with a heading and a table that scrolls sideways on a phone; `empty` when there are no rows. */
function section(id: string, title: string, headers: string[], rows: Html[], empty: string): Html {
  return html`<section aria-labelledby="h-${id}" data-testid="${id}">
    <h2 id="h-${id}">${title}</h2>
    ${
      rows.length === 0
        ? html`<p><small>${empty}</small></p>`
        : html`<div class="scroll">
            <table>
              <thead>
                <tr>
                  ${headers.map((h) => html`<th scope="col">${h}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      ${r}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}
