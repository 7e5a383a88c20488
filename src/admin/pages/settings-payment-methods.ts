import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { paymentMethodOf } from '../../app/queries/admin-settings.js';
import {
  createPaymentMethod,
  listPaymentMethods,
  updatePaymentMethod,
  viewPaymentMethod,
} from '../../app/payment-methods.js';
import type { PaymentMethodView } from '../../contract/payment-method.js';
import { html, type Html } from '../../web/html.js';
import type { Connector } from '../../ports/connector.js';
import { badge, csrfField, field, refusal, render, seeOther, who } from '../render.js';
import { checkbox, noticeOf, settingsCrumb, wholeNumber } from './settings-common.js';
import { readSchemaFields, schemaFields } from './settings-schema-fields.js';

const BASE = '/admin/settings/payment-methods';
const NOTICES = { created: 'The payment method was created.', saved: 'The payment method was saved.' };

/** What every payment method has besides its connector's settings. */
function commonFields(pm?: PaymentMethodView): Html {
  return html`<label
      >Name <input name="name" value="${pm?.name ?? ''}" maxlength="100" required data-testid="pm-name"
    /></label>
    ${checkbox('enabled', 'Enabled: customers may pay with it', pm?.enabled ?? true)}
    ${checkbox('auto_approve', 'Approve its payments automatically (skip the review rules)', pm?.auto_approve ?? false)}
    ${checkbox(
      'auto_refund_surplus',
      'Refund a double payment automatically (a second payment of an order already paid, where the provider can refund)',
      pm?.auto_refund_surplus ?? false,
    )}
    <label for="pm-currencies">Currencies</label
    ><input
      id="pm-currencies"
      name="currencies"
      value="${pm?.currencies?.join(' ') ?? ''}"
      aria-describedby="pm-currencies-help"
      size="30"
    /><br />
    <small id="pm-currencies-help">ISO codes separated by spaces or commas (AMD USD); empty takes any currency.</small>
    <label for="pm-min">Minimum amount, in minor units</label
    ><input
      id="pm-min"
      name="min_amount"
      type="number"
      min="0"
      step="1"
      inputmode="numeric"
      value="${pm?.min_amount ?? ''}"
      aria-describedby="pm-limits-help"
    />
    <label for="pm-max">Maximum amount, in minor units</label
    ><input
      id="pm-max"
      name="max_amount"
      type="number"
      min="0"
      step="1"
      inputmode="numeric"
      value="${pm?.max_amount ?? ''}"
      aria-describedby="pm-limits-help"
    /><br />
    <small id="pm-limits-help">Minor units of the order's currency: 150000 is 1500.00 AMD. Empty: no limit.</small>`;
}

function readCommon(body: unknown) {
  const currencies = (field(body, 'currencies') ?? '')
    .split(/[\s,]+/)
    .filter((c) => c !== '')
    .map((c) => c.toUpperCase());
  return {
    name: field(body, 'name') ?? '',
    enabled: field(body, 'enabled') !== undefined,
    auto_approve: field(body, 'auto_approve') !== undefined,
    auto_refund_surplus: field(body, 'auto_refund_surplus') !== undefined,
    currencies: currencies.length ? currencies : null,
    min_amount: wholeNumber(field(body, 'min_amount')),
    max_amount: wholeNumber(field(body, 'max_amount')),
  };
}

const connectorOf = (deps: AppDeps, id: string | undefined): Connector<unknown> | undefined =>
  id ? deps.connectors.get(id) : undefined;

/** Payment methods: the list, a new one for a chosen connector, and the edit form. */
export async function paymentMethodSettingsPages(app: FastifyInstance) {
  app.get('/settings/payment-methods', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const methods = await listPaymentMethods(req.deps);
    const rows = methods.map(
      (m) =>
        html`<tr data-testid="pm-row">
          <td><a href="${BASE}/${m.id}">${m.name}</a></td>
          <td>${req.deps.connectors.get(m.connector)?.title ?? m.connector}</td>
          <td>${badge(m.enabled ? 'enabled' : 'disabled')}</td>
          <td>${m.auto_approve ? 'yes' : 'no'}</td>
          <td>${m.currencies?.join(', ') ?? 'any'}</td>
          <td>${m.min_amount ?? '—'} … ${m.max_amount ?? '—'}</td>
        </tr>`,
    );
    const body = html`${settingsCrumb()}
      <p><a href="${BASE}/new" data-testid="pm-new">New payment method</a></p>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connector</th>
              <th scope="col">State</th>
              <th scope="col">Auto-approve</th>
              <th scope="col">Currencies</th>
              <th scope="col">Limits (minor units)</th>
            </tr>
          </thead>
          <tbody>
            ${
              rows.length
                ? rows
                : html`<tr>
                    <td colspan="6">No payment method yet.</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>`;
    return render(req.deps, req, reply, { title: 'Payment methods', body, notice: noticeOf(req, NOTICES) });
  });

  app.get<{ Querystring: { connector?: string } }>(
    '/settings/payment-methods/new',
    { config: { permission: 'settings.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const connector = connectorOf(req.deps, req.query.connector);
      const ids = req.deps.connectors.ids();
      const choose = html`<form method="get" action="${BASE}/new" class="filters">
        <label
          >Connector
          <select name="connector" data-testid="pm-connector">
            ${ids.map(
              (id) =>
                html`<option value="${id}" ${connector?.id === id ? html` selected` : ''}>
                  ${req.deps.connectors.get(id)?.title ?? id}
                </option>`,
            )}
          </select></label
        >
        <button type="submit">Choose</button>
      </form>`;
      const form = connector
        ? html`<form method="post" action="${BASE}" data-testid="pm-create-form">
            ${csrfField(ctx)}<input type="hidden" name="connector" value="${connector.id}" />
            <fieldset>
              <legend>The method</legend>
              ${commonFields()}
            </fieldset>
            <fieldset>
              <legend>${connector.title} settings</legend>
              ${schemaFields({ schema: connector.settingsSchema, secretFields: connector.secretFields })}
            </fieldset>
            <button type="submit">Create the payment method</button>
          </form>`
        : html`<p>Choose the provider's connector first.</p>`;
      return render(req.deps, req, reply, {
        title: 'New payment method',
        body: html`${settingsCrumb({ href: BASE, label: 'Payment methods' })}${choose}${form}`,
      });
    },
  );

  app.post('/settings/payment-methods', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const connectorId = field(req.body, 'connector') ?? '';
    const connector = connectorOf(req.deps, connectorId);
    const back = { href: `${BASE}/new?connector=${encodeURIComponent(connectorId)}`, label: 'Back to the form' };
    const c = readCommon(req.body);
    const settings = connector
      ? readSchemaFields(
          { schema: connector.settingsSchema, secretFields: connector.secretFields, editing: false },
          req.body,
        )
      : {};
    const r = await createPaymentMethod(req.deps, {
      ...c,
      connector: connectorId,
      settings,
      currencies: c.currencies ?? undefined,
      min_amount: c.min_amount ?? undefined,
      max_amount: c.max_amount ?? undefined,
    });
    if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
    req.log.info({ paymentMethodId: r.value.id, by: who(req).user.id }, 'payment method created');
    return seeOther(reply, `${BASE}/${r.value.id}?notice=created`);
  });

  app.get<{ Params: { id: string } }>(
    '/settings/payment-methods/:id',
    { config: { permission: 'settings.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const pm = await paymentMethodOf(req.deps, req.params.id);
      if (!pm)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'payment_method_not_found', message: 'There is no such payment method.' },
          { href: BASE, label: 'Back to the payment methods' },
        );
      const connector = req.deps.connectors.get(pm.connector);
      const view = viewPaymentMethod(pm, connector);
      // pm.settings holds no secret (they are stored apart, encrypted): the inputs are filled from it alone.
      const settings = connector
        ? html`<fieldset>
            <legend>${connector.title} settings</legend>
            ${schemaFields({ schema: connector.settingsSchema, secretFields: connector.secretFields, current: pm.settings })}
          </fieldset>`
        : html`<p class="error">
            This Settle has no connector "${pm.connector}"; only the fields above can be changed.
          </p>`;
      const body = html`${settingsCrumb({ href: BASE, label: 'Payment methods' })}
        <dl>
          <dt>Id</dt>
          <dd>${pm.id}</dd>
          <dt>Connector</dt>
          <dd>${connector?.title ?? pm.connector}</dd>
          <dt>Callback URL</dt>
          <dd>${req.deps.publicUrl}/callbacks/${pm.id}</dd>
        </dl>
        <form method="post" action="${BASE}/${pm.id}" data-testid="pm-edit-form">
          ${csrfField(ctx)}
          <fieldset>
            <legend>The method</legend>
            ${commonFields(view)}
          </fieldset>
          ${settings} <button type="submit">Save</button>
        </form>`;
      return render(req.deps, req, reply, { title: `Payment method ${pm.name}`, body, notice: noticeOf(req, NOTICES) });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/settings/payment-methods/:id',
    { config: { permission: 'settings.write' } },
    async (req, reply) => {
      const back = { href: `${BASE}/${encodeURIComponent(req.params.id)}`, label: 'Back to the payment method' };
      const pm = await paymentMethodOf(req.deps, req.params.id);
      const connector = pm ? req.deps.connectors.get(pm.connector) : undefined;
      const settings = connector
        ? readSchemaFields(
            { schema: connector.settingsSchema, secretFields: connector.secretFields, editing: true },
            req.body,
          )
        : undefined;
      const r = await updatePaymentMethod(req.deps, req.params.id, {
        ...readCommon(req.body),
        ...(settings && { settings }),
      });
      if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
      req.log.info({ paymentMethodId: r.value.id, by: who(req).user.id }, 'payment method changed');
      return seeOther(reply, `${BASE}/${r.value.id}?notice=saved`);
    },
  );
}
