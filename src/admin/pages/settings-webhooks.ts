import type { FastifyInstance } from 'fastify';
import { webhookEndpointOf, webhookEndpoints } from '../../app/queries/admin-settings.js';
import { createWebhookEndpoint, statusMapOverrides, updateWebhookEndpoint } from '../../app/webhook-endpoints.js';
import { WEBHOOK_EVENT_TYPES } from '../../domain/effects.js';
import {
  STORE_STATUS_KEYS,
  STORE_STATUS_PRESET_NAMES,
  STORE_STATUS_PRESETS,
  type StoreStatusMap,
  type StoreStatusPreset,
} from '../../domain/store-status.js';
import { html, type Html } from '../../web/html.js';
import type { WebhookEndpointRecord } from '../../domain/webhook-endpoint.js';
import { badge, csrfField, field, fields, refusal, render, seeOther, when, who } from '../render.js';
import { checkbox, noticeOf, selected, settingsCrumb } from './settings-common.js';

export const WEBHOOKS = '/admin/settings/webhooks';
const NOTICES = {
  saved: 'The endpoint was saved.',
  enabled: 'The endpoint was enabled.',
  disabled: 'The endpoint was disabled: nothing more is sent to it.',
};

const eventBoxes = (chosen: readonly string[]): Html =>
  html`<fieldset>
    <legend>Events</legend>
    ${checkbox('events', 'All events (*), including ones added later', chosen.includes('*'), '*', 'event-all')}${WEBHOOK_EVENT_TYPES.map((e) => checkbox('events', e, chosen.includes(e), e, `event-${e}`))}
  </fieldset>`;

const presetSelect = (current: string | null): Html =>
  html`<label
    >Store status codes preset
    <select name="status_map_preset" data-testid="status-preset">
      <option value="">none</option>
      ${STORE_STATUS_PRESET_NAMES.map((p) => html`<option value="${p}" ${selected(p === current)}>${p}</option>`)}
    </select></label
  >`;

const readPreset = (body: unknown): StoreStatusPreset | null => {
  const p = field(body, 'status_map_preset') ?? '';
  // An unknown name goes to the use case as it is, to be refused there.
  return p === '' ? null : (p as StoreStatusPreset);
};

const mapText = (map: StoreStatusMap): string =>
  Object.entries(map)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

function row(e: WebhookEndpointRecord): Html {
  return html`<tr data-testid="webhook-row">
    <td class="wrap"><a href="${WEBHOOKS}/${e.id}">${e.url}</a></td>
    <td class="wrap">${e.events.join(', ')}</td>
    <td>${badge(e.enabled ? 'enabled' : 'disabled')}</td>
    <td class="wrap">
      ${e.statusMapPreset ?? 'none'}${Object.keys(e.statusMap).length ? html`<br /><small>${mapText(e.statusMap)}</small>` : ''}
    </td>
    <td><a href="${WEBHOOKS}/${e.id}/deliveries">Delivery log</a></td>
  </tr>`;
}

/** Webhook endpoints: the list, a new one (its signing secret shown once), the edit form, on and off. */
export async function webhookSettingsPages(app: FastifyInstance) {
  app.get('/settings/webhooks', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const ctx = who(req);
    const endpoints = await webhookEndpoints(req.deps);
    const body = html`${settingsCrumb()}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Status map</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            ${
              endpoints.length
                ? endpoints.map(row)
                : html`<tr>
                    <td colspan="5">No endpoint yet.</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>
      <h2>New endpoint</h2>
      <form method="post" action="${WEBHOOKS}" data-testid="webhook-form">
        ${csrfField(ctx)}
        <label
          >URL
          <input
            type="url"
            name="url"
            maxlength="2048"
            required
            size="48"
            placeholder="https://shop.example/settle-webhook"
        /></label>
        ${eventBoxes(['*'])}${presetSelect(null)}
        <button type="submit">Create the endpoint</button>
        <small>Its signing secret is shown once, on the next page.</small>
      </form>`;
    return render(req.deps, req, reply, { title: 'Webhook endpoints', body, notice: noticeOf(req, NOTICES) });
  });

  // The signing secret exists in clear only in this answer: rendered here, never redirected to.
  app.post('/settings/webhooks', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const r = await createWebhookEndpoint(req.deps, {
      url: field(req.body, 'url') ?? '',
      events: fields(req.body, 'events'),
      status_map_preset: readPreset(req.body),
    });
    if (!r.ok)
      return refusal(req.deps, req, reply, r.error, { href: WEBHOOKS, label: 'Back to the webhook endpoints' });
    const e = r.value.endpoint;
    req.log.info({ endpointId: e.id, by: who(req).user.id }, 'webhook endpoint created');
    const body = html`<p>
        Copy the signing secret into the store now: Settle cannot show it again. The store checks every webhook with it
        (Standard Webhooks).
      </p>
      <dl>
        <dt>URL</dt>
        <dd>${e.url}</dd>
        <dt>Events</dt>
        <dd>${e.events.join(', ')}</dd>
        <dt>Signing secret</dt>
        <dd><code data-testid="webhook-secret">${r.value.secret}</code></dd>
      </dl>
      <p>
        <a href="${WEBHOOKS}/${e.id}">Done: to the endpoint</a> ·
        <a href="${WEBHOOKS}">Back to the webhook endpoints</a>
      </p>`;
    return render(req.deps, req, reply, {
      title: 'Webhook endpoint created',
      body,
      notice: 'The endpoint was created.',
    });
  });

  app.get<{ Params: { id: string } }>(
    '/settings/webhooks/:id',
    { config: { permission: 'settings.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const e = await webhookEndpointOf(req.deps, req.params.id);
      if (!e)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'webhook_endpoint_not_found', message: 'There is no such webhook endpoint.' },
          { href: WEBHOOKS, label: 'Back to the webhook endpoints' },
        );
      const overrides = statusMapOverrides(e);
      const preset: StoreStatusMap =
        e.statusMapPreset && e.statusMapPreset in STORE_STATUS_PRESETS
          ? STORE_STATUS_PRESETS[e.statusMapPreset as StoreStatusPreset]
          : {};
      const mapRows = STORE_STATUS_KEYS.map(
        (k) =>
          html`<tr>
            <th scope="row"><label for="map-${k}">${k.replaceAll('_', ' ')}</label></th>
            <td>${preset[k] ?? '—'}</td>
            <td>
              <input
                id="map-${k}"
                name="map.${k}"
                value="${overrides[k] ?? ''}"
                maxlength="64"
                size="10"
                data-testid="map-${k}"
              />
            </td>
            <td>${e.statusMap[k] ?? '—'}</td>
          </tr>`,
      );
      const toggle = e.enabled
        ? html`<form method="post" action="${WEBHOOKS}/${e.id}/disable" class="inline">
            ${csrfField(ctx)}<button type="submit" data-testid="webhook-disable">Disable</button>
          </form>`
        : html`<form method="post" action="${WEBHOOKS}/${e.id}/enable" class="inline">
            ${csrfField(ctx)}<button type="submit" data-testid="webhook-enable">Enable</button>
          </form>`;
      const body = html`${settingsCrumb({ href: WEBHOOKS, label: 'Webhook endpoints' })}
        <dl>
          <dt>URL</dt>
          <dd>${e.url}</dd>
          <dt>State</dt>
          <dd data-testid="webhook-state">${badge(e.enabled ? 'enabled' : 'disabled')} ${toggle}</dd>
          <dt>Created</dt>
          <dd>${when(e.createdAt)}</dd>
          <dt>Changed</dt>
          <dd>${when(e.updatedAt)}</dd>
        </dl>
        <p><a href="${WEBHOOKS}/${e.id}/deliveries" data-testid="deliveries-link">Delivery log</a></p>
        <form method="post" action="${WEBHOOKS}/${e.id}" data-testid="webhook-edit-form">
          ${csrfField(ctx)} ${eventBoxes(e.events)}
          <fieldset>
            <legend>Store status codes</legend>
            ${presetSelect(e.statusMapPreset)}
            <p>
              <small
                >The code sent as data.order.store_status. An own code overrides the preset's; empty uses the
                preset's.</small
              >
            </p>
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Preset</th>
                    <th scope="col">Own code</th>
                    <th scope="col">Sent now</th>
                  </tr>
                </thead>
                <tbody>
                  ${mapRows}
                </tbody>
              </table>
            </div>
          </fieldset>
          <button type="submit">Save</button>
        </form>`;
      return render(req.deps, req, reply, { title: 'Webhook endpoint', body, notice: noticeOf(req, NOTICES) });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/settings/webhooks/:id',
    { config: { permission: 'settings.write' } },
    async (req, reply) => {
      const overrides: Record<string, string> = {};
      for (const k of STORE_STATUS_KEYS) {
        const v = (field(req.body, `map.${k}`) ?? '').trim();
        if (v !== '') overrides[k] = v;
      }
      const r = await updateWebhookEndpoint(req.deps, req.params.id, {
        events: fields(req.body, 'events'),
        status_map_preset: readPreset(req.body),
        status_map: overrides,
      });
      if (!r.ok)
        return refusal(req.deps, req, reply, r.error, {
          href: `${WEBHOOKS}/${encodeURIComponent(req.params.id)}`,
          label: 'Back to the endpoint',
        });
      return seeOther(reply, `${WEBHOOKS}/${r.value.id}?notice=saved`);
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/settings/webhooks/:id/${action}`,
      { config: { permission: 'settings.write' } },
      async (req, reply) => {
        const r = await updateWebhookEndpoint(req.deps, req.params.id, { enabled });
        if (!r.ok)
          return refusal(req.deps, req, reply, r.error, { href: WEBHOOKS, label: 'Back to the webhook endpoints' });
        req.log.info({ endpointId: r.value.id, enabled, by: who(req).user.id }, 'webhook endpoint switched');
        return seeOther(reply, `${WEBHOOKS}/${r.value.id}?notice=${enabled ? 'enabled' : 'disabled'}`);
      },
    );
  }
}
