import type { orderDetailView } from '../../contract/order-detail.js';
import { html, type Html } from '../../web/html.js';
import { badge, money, when } from '../render.js';

/** The top of the order page, side by side: its amounts, its status tracks and the customer's contact. */
export function orderSummary(
  v: ReturnType<typeof orderDetailView>,
  paid: number,
  refundable: number,
): { amounts: Html; tracks: Html; customer: Html } {
  const m = (n: number | null) => (n === null ? '' : money(n, v.currency));
  const amounts = html`<section aria-labelledby="h-amounts">
    <h2 id="h-amounts">Amounts</h2>
    <dl data-testid="amounts">
      <dt>Original</dt>
      <dd data-testid="amount-original">${m(v.original_amount)}</dd>
      <dt>Current</dt>
      <dd data-testid="amount-current">${m(v.amount)}</dd>
      <dt>Paid</dt>
      <dd data-testid="amount-paid">${m(paid)}</dd>
      <dt>Refunded</dt>
      <dd data-testid="amount-refunded">${m(v.refunded_amount)}</dd>
      <dt>Still refundable</dt>
      <dd data-testid="amount-refundable">${m(refundable)}</dd>
      <dt>Outstanding</dt>
      <dd data-testid="amount-outstanding">${m(v.outstanding_amount)}</dd>
      ${
        v.shipping_amount > 0
          ? html`<dt>Shipping</dt>
              <dd>${m(v.shipping_amount)}</dd>`
          : ''
      }
    </dl>
  </section>`;

  const tracks = html`<section aria-labelledby="h-tracks">
    <h2 id="h-tracks">Status</h2>
    <dl data-testid="tracks">
      <dt>Order</dt>
      <dd data-testid="track-order">${badge(v.status)}</dd>
      <dt>Payment</dt>
      <dd data-testid="track-payment">${badge(v.payment_status)}</dd>
      <dt>Delivery</dt>
      <dd data-testid="track-delivery">${badge(v.delivery_status)}</dd>
      <dt>Fiscal</dt>
      <dd data-testid="track-fiscal">${badge(v.fiscal_status)}</dd>
      <dt>Review</dt>
      <dd data-testid="track-review">${badge(v.review_status)}</dd>
      <dt>Sync</dt>
      <dd data-testid="track-sync">
        ${v.sync.length ? v.sync.map((s) => html`<span>${s.endpoint_id}: ${badge(s.status)}${s.last_error ? html` <small>${s.last_error}</small>` : ''}</span> `) : html`<small>no webhook endpoint</small>`}
      </dd>
      <dt>Created</dt>
      <dd>${when(v.created_at)}</dd>
      <dt>Updated</dt>
      <dd>${when(v.updated_at)}</dd>
    </dl>
  </section>`;

  const c = v.customer;
  const customer = html`<section aria-labelledby="h-customer">
    <h2 id="h-customer">Customer</h2>
    ${
      c.name || c.email || c.phone
        ? html`<dl data-testid="customer">
            ${
              c.name
                ? html`<dt>Name</dt>
                    <dd>${c.name}</dd>`
                : ''
            }${
              c.email
                ? html`<dt>E-mail</dt>
                    <dd>${c.email}</dd>`
                : ''
            }${
              c.phone
                ? html`<dt>Phone</dt>
                    <dd>${c.phone}</dd>`
                : ''
            }
          </dl>`
        : html`<p><small>The store sent no contact.</small></p>`
    }
  </section>`;

  return { amounts, tracks, customer };
}
