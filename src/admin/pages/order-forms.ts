import { ADJUSTMENT_KINDS } from '../../domain/adjustment.js';
import { DELIVERY_TRANSITIONS, PROOF_KINDS, type Shipment } from '../../domain/delivery.js';
import { formatDecimal } from '../../domain/money.js';
import type { AbilityName } from '../../domain/abilities.js';
import { isAttemptOpen } from '../../domain/attempt-status.js';
import type { Order, PaymentAttempt } from '../../domain/order.js';
import { DEFAULT_LINK_HOURS } from '../../domain/payment-link.js';
import { can, type Permission } from '../../domain/roles.js';
import { html, type Html } from '../../web/html.js';
import type { PaymentMethodRecord } from '../../domain/payment-method.js';
import type { AdminContext } from '../context.js';
import { csrfField } from '../render.js';

// The order page's forms. Each is shown only to a role that has its permission; the route's own
// config.permission is the guard, this only spares people buttons that would answer 403.

const base = (orderId: string) => `/admin/orders/${encodeURIComponent(orderId)}`;
const allowed = (ctx: AdminContext, p: Permission) => can(ctx.user.role, p);
const reasonInput = (label = 'Reason', name = 'reason') =>
  html`<label>${label} <input name="${name}" required maxlength="500" size="28" /></label>`;
const none = html``;

/** Takes a held payment, where the provider has a capture call. */
export function captureForm(ctx: AdminContext, orderId: string, paymentId: string): Html {
  if (!allowed(ctx, 'orders.refund')) return none;
  return html`<form
    method="post"
    action="${base(orderId)}/payments/${encodeURIComponent(paymentId)}/capture"
    class="inline"
  >
    ${csrfField(ctx)}<button type="submit" data-testid="capture-payment">Capture</button>
  </form>`;
}

export function checkForm(ctx: AdminContext, orderId: string, paymentId: string): Html {
  if (!allowed(ctx, 'orders.check')) return none;
  return html`<form
    method="post"
    action="${base(orderId)}/payments/${encodeURIComponent(paymentId)}/check"
    class="inline"
  >
    ${csrfField(ctx)}<button type="submit" data-testid="check-payment">Check at the acquirer</button>
  </form>`;
}

export function confirmRefundForm(ctx: AdminContext, orderId: string, refundId: string): Html {
  if (!allowed(ctx, 'orders.refund')) return none;
  return html`<form method="post" action="${base(orderId)}/refunds/${encodeURIComponent(refundId)}/confirm">
    ${csrfField(ctx)}${reasonInput('How it was paid out', 'note')}<button type="submit" data-testid="confirm-refund">
      Confirm paid out by hand
    </button>
  </form>`;
}

export function revokeLinkForm(ctx: AdminContext, orderId: string, linkId: string): Html {
  if (!allowed(ctx, 'orders.link')) return none;
  return html`<form method="post" action="${base(orderId)}/payment-links/${encodeURIComponent(linkId)}/revoke">
    ${csrfField(ctx)}${reasonInput()}<button type="submit" data-testid="revoke-link">Revoke</button>
  </form>`;
}

export function shipmentEventForm(ctx: AdminContext, orderId: string, s: Pick<Shipment, 'id' | 'status'>): Html {
  const next = DELIVERY_TRANSITIONS[s.status];
  if (!allowed(ctx, 'orders.delivery') || next.length === 0) return none;
  return html`<details>
    <summary>Record a delivery event</summary>
    <form
      method="post"
      action="${base(orderId)}/shipments/${encodeURIComponent(s.id)}/events"
      data-testid="shipment-event-form"
    >
      ${csrfField(ctx)}
      <label
        >Status
        <select name="status" required>
          ${next.map((st) => html`<option value="${st}">${st.replaceAll('_', ' ')}</option>`)}
        </select></label
      >
      <label>When (UTC; empty: now) <input type="datetime-local" name="at" /></label>
      <label>Courier (if it changed) <input name="courier" maxlength="100" /></label>
      <label>Courier reference (if it changed) <input name="courier_ref" maxlength="200" /></label>
      <label
        >Proof of delivery (delivered only)
        <select name="proof_kind">
          <option value="">none</option>
          ${PROOF_KINDS.map((k) => html`<option value="${k}">${k.replaceAll('_', ' ')}</option>`)}
        </select></label
      >
      <label>Proof reference <input name="proof_reference" maxlength="200" /></label>
      <button type="submit">Record</button>
    </form>
  </details>`;
}

/** The actions on the whole order, each where the order's state lets it happen at all. */
export function actionForms(
  ctx: AdminContext,
  d: {
    order: Order;
    methods: PaymentMethodRecord[];
    attempts: PaymentAttempt[];
    abilities: Map<string, AbilityName[]>;
  },
  refundable: number,
): Html {
  const o = d.order;
  const provides = (ability: AbilityName, which: (a: PaymentAttempt) => boolean) =>
    d.attempts.filter(which).some((a) => d.abilities.get(a.paymentMethodId)?.includes(ability));
  const to = base(o.id);
  const open = o.status !== 'canceled' && o.status !== 'completed';
  const example = formatDecimal(1250, o.currency);
  const forms: Html[] = [];

  if (allowed(ctx, 'orders.review') && o.reviewStatus === 'pending') {
    forms.push(
      html`<form method="post" action="${to}/review" data-testid="review-form">
        <fieldset>
          <legend>Review</legend>
          ${csrfField(ctx)}
          <p>
            <small
              >Approve lets the order be fulfilled; reject refunds every payment in full and cancels the order.</small
            >
          </p>
          <label>Note <input name="note" required maxlength="2000" size="28" /></label>
          <button type="submit" name="decision" value="approve">Approve</button>
          <button type="submit" name="decision" value="reject">Reject</button>
        </fieldset>
      </form>`,
    );
  }
  if (allowed(ctx, 'orders.refund') && refundable > 0) {
    forms.push(
      html`<form method="post" action="${to}/refunds" data-testid="refund-form">
        <fieldset>
          <legend>Refund</legend>
          ${csrfField(ctx)}
          <label
            >Amount in ${o.currency} (e.g. ${example}; at most ${formatDecimal(refundable, o.currency)})
            <input name="amount" required inputmode="decimal" size="12"
          /></label>
          ${
            provides('refund', (a) => a.status === 'succeeded')
              ? ''
              : html`<p>
                <small
                  >The provider has no refund call: the refund is recorded with a task to pay it out by hand.</small
                >
              </p>`
          }
          ${reasonInput()}<button type="submit">Refund</button>
        </fieldset>
      </form>`,
    );
  }
  if (allowed(ctx, 'orders.cancel') && (o.status === 'pending_payment' || o.status === 'payment_failed')) {
    forms.push(
      html`<form method="post" action="${to}/cancel" data-testid="cancel-form">
        <fieldset>
          <legend>Cancel the order</legend>
          ${csrfField(ctx)}
          <p>
            <small
              >${
                provides('cancel', (a) => isAttemptOpen(a.status)) || provides('void', (a) => a.status === 'authorized')
                  ? 'Open payments are canceled at the acquirer first; the order is canceled only if every one is.'
                  : 'The provider has no cancel call: the order is canceled in Settle, and a later payment for it is refused or held for a person.'
              }</small
            >
          </p>
          ${reasonInput()}<button type="submit">Cancel the order</button>
        </fieldset>
      </form>`,
    );
  }
  if (allowed(ctx, 'orders.adjust') && open) {
    // A manual price change needs an admin (the API: an admin key).
    const kinds = ADJUSTMENT_KINDS.filter((k) => k !== 'manual_price' || ctx.user.role === 'admin');
    forms.push(
      html`<form method="post" action="${to}/adjustments" data-testid="adjust-form">
        <fieldset>
          <legend>Adjust the amount</legend>
          ${csrfField(ctx)}
          <label
            >Kind
            <select name="kind">
              ${kinds.map((k) => html`<option value="${k}">${k.replaceAll('_', ' ')}</option>`)}
            </select></label
          >
          <label
            >Change in ${o.currency} (e.g. -${example}; empty for a partial cancellation)
            <input name="amount_delta" inputmode="decimal" size="12"
          /></label>
          ${
            o.lines.length
              ? html`<label
                    >Line (optional)
                    <select name="sku">
                      <option value="">none</option>
                      ${o.lines.map((l) => html`<option value="${l.sku}">${l.sku} · ${l.name}</option>`)}
                    </select></label
                  >
                  <label
                    >Quantity of that line <input type="number" name="quantity" min="1" max="1000000" size="6"
                  /></label>`
              : ''
          }
          ${reasonInput()}<button type="submit">Adjust</button>
        </fieldset>
      </form>`,
    );
  }
  if (allowed(ctx, 'orders.link') && open) {
    const methods = d.methods.filter((m) => m.enabled);
    forms.push(
      html`<form method="post" action="${to}/payment-links" data-testid="link-form">
        <fieldset>
          <legend>Payment link</legend>
          ${csrfField(ctx)}
          <label
            >Amount in ${o.currency} (empty: all that is outstanding)
            <input name="amount" inputmode="decimal" size="12"
          /></label>
          <label
            >Expires in hours
            <input type="number" name="expires_in_hours" min="1" max="2160" value="${DEFAULT_LINK_HOURS}" size="6"
          /></label>
          <label>…or expires at (UTC; wins over hours) <input type="datetime-local" name="expires_at" /></label>
          ${
            methods.length > 1
              ? html`<label
                  >Payment method
                  <select name="payment_method_id">
                    <option value="">the order's own</option>
                    ${methods.map((m) => html`<option value="${m.id}">${m.name}</option>`)}
                  </select></label
                >`
              : ''
          }
          <label>Reason (optional) <input name="reason" maxlength="500" size="28" /></label>
          <button type="submit">Create link</button>
        </fieldset>
      </form>`,
    );
  }
  if (allowed(ctx, 'orders.delivery') && o.status === 'processing' && o.deliveryStatus !== 'fulfilled') {
    forms.push(
      html`<form method="post" action="${to}/shipments" data-testid="shipment-form">
        <fieldset>
          <legend>Start a shipment</legend>
          ${csrfField(ctx)}
          <p><small>Of the whole order (the API can ship some lines).</small></p>
          <label>Courier <input name="courier" maxlength="100" /></label>
          <label>Courier reference <input name="courier_ref" maxlength="200" /></label>
          <button type="submit">Start shipment</button>
        </fieldset>
      </form>`,
    );
  }
  if (forms.length === 0) return none;
  return html`<section aria-labelledby="h-actions" data-testid="actions">
    <h2 id="h-actions">Actions</h2>
    <div class="actions">${forms}</div>
  </section>`;
}
