import { ROLES } from '../../domain/roles.js';
import { DEFAULT_TASK_OWNER } from '../../domain/timeline.js';
import type { TaskFilters } from '../../app/queries/admin-tasks.js';
import type { TaskRecord } from '../../domain/task.js';
import { html, type Html } from '../../web/html.js';
import type { AdminContext } from '../context.js';
import { csrfField } from '../render.js';

// The task pages' parts: the filter form, the counts, the owner and report cells, the two forms.

export const KINDS = Object.keys(DEFAULT_TASK_OWNER).sort();
export const STATUSES = ['open', 'resolved', 'any'] as const satisfies readonly TaskFilters['status'][];

export const ownerText = (t: TaskRecord, ctx: AdminContext): Html =>
  t.owner === null
    ? html`<small>nobody</small>`
    : t.owner === ctx.user.emailNorm
      ? html`${t.owner} <small>(you)</small>`
      : html`${t.owner}`;

/** "run id:line number" → the run and its line; findings of the run's own checks have line numbers below one. */
export function reportLineLink(reportLine: string | null | undefined): Html {
  if (!reportLine) return html``;
  const at = reportLine.lastIndexOf(':');
  const runId = reportLine.slice(0, at);
  const line = Number(reportLine.slice(at + 1));
  return html`<a href="/admin/reconciliation/${encodeURIComponent(runId)}"
    >${line >= 1 ? `line ${line}` : 'day check'}</a
  >`;
}

export function actionForms(t: TaskRecord, ctx: AdminContext): Html {
  return html`<div class="actions">
    <form method="post" action="/admin/tasks/${t.id}/assign" data-testid="assign-form">
      <fieldset>
        <legend>Assign</legend>
        ${csrfField(ctx)}
        <label
          >To
          <select name="to">
            <option value="me">me (${ctx.user.email})</option>
            ${ROLES.map((r) => html`<option value="${r}">the ${r} role</option>`)}
            <option value="email">the person below</option>
          </select></label
        >
        <label>Person’s e-mail <input type="email" name="email" autocomplete="off" /></label>
        <button type="submit">Assign</button>
      </fieldset>
    </form>
    <form method="post" action="/admin/tasks/${t.id}/resolve" id="resolve" data-testid="resolve-form">
      <fieldset>
        <legend>Resolve</legend>
        ${csrfField(ctx)}
        <label>What was done (required) <textarea name="note" rows="3" maxlength="2000" required></textarea></label>
        <button type="submit">Resolve</button>
      </fieldset>
    </form>
  </div>`;
}

export function filterForm(f: TaskFilters, ctx: AdminContext): Html {
  const opt = (v: string, label: string, chosen: string) =>
    html`<option value="${v}" ${v === chosen ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/admin/tasks" class="filters" role="search" aria-label="Filter tasks">
    <label
      >Status
      <select name="status">
        ${STATUSES.map((s) => opt(s, s, f.status))}
      </select></label
    >
    <label
      >Owner
      <input name="owner" value="${f.owner}" size="18" list="owners" placeholder="mine, unowned, support, e-mail"
    /></label>
    <datalist id="owners">
      <option value="mine"></option>
      <option value="unowned">${ROLES.map((r) => html`<option value="${r}"></option>`)}</option>
      <option value="${ctx.user.emailNorm}"></option>
    </datalist>
    <label
      >Kind
      <select name="kind">
        <option value="">any</option>
        ${KINDS.map((k) => opt(k, k.replaceAll('_', ' '), f.kind))}
      </select></label
    >
    <label>Order id <input name="order_id" value="${f.order_id}" size="14" /></label>
    <label>Run id <input name="run_id" value="${f.run_id}" size="14" /></label>
    <button type="submit">Filter</button> <a href="/admin/tasks">Clear</a> ·
    <a href="/admin/tasks?owner=mine">Mine</a> · <a href="/admin/tasks?owner=unowned">Unowned</a>
  </form>`;
}

/** Open tasks counted by owner and by kind, each a link to that part of the queue. */
export function summary(
  counts: readonly { owner: string | null; kind: string; count: number }[],
  ctx: AdminContext,
): Html {
  const byOwner = new Map<string, number>();
  const byKind = new Map<string, number>();
  for (const c of counts) {
    const owner = c.owner ?? 'unowned';
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + c.count);
    byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + c.count);
  }
  const list = (m: Map<string, number>, param: string, testid: string) =>
    m.size
      ? html`<ul data-testid="${testid}">
          ${[...m]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .map(
              ([k, n]) =>
                html`<li>
                  <a href="/admin/tasks?${new URLSearchParams({ [param]: k }).toString()}"
                    >${k === ctx.user.emailNorm ? `${k} (you)` : k.replaceAll('_', ' ')}</a
                  >: <span data-count="${n}">${n}</span>
                </li>`,
            )}
        </ul>`
      : html`<p><small>No open tasks.</small></p>`;
  return html`<details open data-testid="task-summary">
    <summary>Open tasks by owner and kind</summary>
    <div class="actions">
      <section>
        <h2>By owner</h2>
        ${list(byOwner, 'owner', 'count-by-owner')}
      </section>
      <section>
        <h2>By kind</h2>
        ${list(byKind, 'kind', 'count-by-kind')}
      </section>
    </div>
  </details>`;
}
