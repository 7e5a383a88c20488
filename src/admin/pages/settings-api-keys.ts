import type { FastifyInstance } from 'fastify';
import { issueApiKey, listApiKeys, revokeApiKey, SCOPES } from '../../app/api-keys.js';
import { html } from '../../web/html.js';
import { badge, csrfField, field, fields, refusal, render, seeOther, when, who } from '../render.js';
import { checkbox, noticeOf, settingsCrumb } from './settings-common.js';
import { listTable } from '../list-table.js';

const BASE = '/admin/settings/api-keys';
const NOTICES = { revoked: 'The key was revoked: requests with it are refused from now on.' };
const SCOPE_HELP: Record<string, string> = {
  store: "the shop's calls (orders, payments)",
  accounting: 'reconciliation',
  admin: 'everything',
};

/** API keys: the list (never a key, only its first characters), a new key shown once, revoking. */
export async function apiKeySettingsPages(app: FastifyInstance) {
  app.get('/settings/api-keys', { config: { permission: 'settings.read' } }, async (req, reply) => {
    const ctx = who(req);
    const keys = await listApiKeys(req.deps);
    const rows = keys.map(
      (k) =>
        html`<tr data-testid="api-key-row" data-key-id="${k.id}">
          <td>${k.name}</td>
          <td><code>${k.prefix}…</code></td>
          <td>${k.scopes.join(', ')}</td>
          <td>${when(k.createdAt)}</td>
          <td>
            ${k.revokedAt ? html`${badge('revoked')} ${when(k.revokedAt)}` : html`<form method="post" action="${BASE}/${k.id}/revoke" class="inline">${csrfField(ctx)}<button type="submit" data-testid="revoke-${k.id}" aria-label="Revoke key ${k.name}">Revoke</button></form>`}
          </td>
        </tr>`,
    );
    const body = html`${settingsCrumb()}
      ${listTable({ columns: ['Name', 'Starts with', 'Scopes', 'Created', 'Revoked'], rows, empty: 'No key yet.' })}
      <h2>New key</h2>
      <form method="post" action="${BASE}" data-testid="api-key-form">
        ${csrfField(ctx)}
        <label>Name <input name="name" maxlength="100" required placeholder="opencart-live" /></label>
        <fieldset>
          <legend>Scopes</legend>
          ${SCOPES.map((s) => checkbox('scopes', `${s}: ${SCOPE_HELP[s] ?? ''}`, s === 'store', s, `scope-${s}`))}
        </fieldset>
        <button type="submit">Create the key</button> <small>The key is shown once, on the next page.</small>
      </form>`;
    return render(req.deps, req, reply, { title: 'API keys', body, notice: noticeOf(req, NOTICES) });
  });

  // The key exists only in this answer (Settle keeps its hash): the page is rendered here, not
  // redirected to, and is not cached (render sends no-store).
  app.post('/settings/api-keys', { config: { permission: 'settings.write' } }, async (req, reply) => {
    const r = await issueApiKey(req.deps, { name: field(req.body, 'name') ?? '', scopes: fields(req.body, 'scopes') });
    if (!r.ok) return refusal(req.deps, req, reply, r.error, { href: BASE, label: 'Back to the API keys' });
    req.log.info({ apiKeyId: r.value.record.id, by: who(req).user.id }, 'api key created');
    const body = html`<p>Copy the key now: Settle keeps only its hash and cannot show it again.</p>
      <dl>
        <dt>Name</dt>
        <dd>${r.value.record.name}</dd>
        <dt>Scopes</dt>
        <dd>${r.value.record.scopes.join(', ')}</dd>
        <dt>Key</dt>
        <dd><code data-testid="api-key-secret">${r.value.key}</code></dd>
      </dl>
      <p><a href="${BASE}">Done: back to the API keys</a></p>`;
    return render(req.deps, req, reply, { title: 'API key created', body, notice: 'The key was created.' });
  });

  app.post<{ Params: { id: string } }>(
    '/settings/api-keys/:id/revoke',
    { config: { permission: 'settings.write' } },
    async (req, reply) => {
      const r = await revokeApiKey(req.deps, req.params.id);
      if (!r.ok) return refusal(req.deps, req, reply, r.error, { href: BASE, label: 'Back to the API keys' });
      req.log.info({ apiKeyId: r.value.id, by: who(req).user.id }, 'api key revoked');
      return seeOther(reply, `${BASE}?notice=revoked`);
    },
  );
}
