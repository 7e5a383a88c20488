import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { reconciliationRunPage, reconciliationRuns } from '../../app/queries/admin-reconciliation.js';
import type { TaskRecord } from '../../domain/task.js';
import { runView } from '../../contract/reconciliation-run.js';
import { can } from '../../domain/roles.js';
import { html } from '../../web/html.js';
import {
  importReportUpload,
  isMalformedMultipart,
  malformedMultipart,
  REPORT_UPLOAD_LIMITS,
} from '../../web/report-upload.js';
import { csrfOk } from '../csrf.js';
import { counts, exceptionTable, totals } from './reconciliation-view.js';
import { badge, csrfField, csrfRefused, refusal, render, seeOther, userActor, when, who } from '../render.js';
import { listTable } from '../list-table.js';

const RUNS_LIMIT = 100;
const TASKS_LIMIT = 500;
const NOTICES: Record<string, string> = {
  imported: 'The report was imported and reconciled.',
  recognised: 'This file was imported before: its run is shown, nothing was counted twice.',
};
const notice = (q: Record<string, unknown>): string | undefined =>
  typeof q.notice === 'string' && Object.hasOwn(NOTICES, q.notice) ? NOTICES[q.notice] : undefined;

/** Report runs (newest 100), the upload of a report, and one run with its exceptions. */
export async function reconciliationPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/reconciliation',
    { config: { permission: 'reconciliation.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const pmId =
        typeof req.query.payment_method_id === 'string' && req.query.payment_method_id.length <= 64
          ? req.query.payment_method_id
          : '';
      const { runs, methods } = await reconciliationRuns(req.deps, { paymentMethodId: pmId, limit: RUNS_LIMIT });
      const names = new Map(methods.map((m) => [m.id, m.name]));
      const options = (chosen: string) =>
        methods.map((m) => html`<option value="${m.id}" ${m.id === chosen ? html` selected` : ''}>${m.name}</option>`);

      const upload = can(ctx.user.role, 'reconciliation.import')
        ? html`<form
            method="post"
            action="/admin/reconciliation/runs"
            enctype="multipart/form-data"
            data-testid="upload-form"
          >
            <fieldset>
              <legend>Import a provider’s report</legend>
              ${csrfField(ctx)}
              <label
                >Payment method
                <select name="payment_method_id" required>
                  ${options(pmId)}
                </select></label
              >
              <label
                >The day it covers (UTC)
                <input
                  type="date"
                  name="date"
                  required
                  value="${new Date(req.deps.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10)}"
              /></label>
              <label
                >Report file (CSV) <input type="file" name="file" accept=".csv,text/csv,text/plain" required
              /></label>
              <button type="submit">Import and reconcile</button>
              <small>The same file imported again is recognised and counted once.</small>
            </fieldset>
          </form>`
        : '';
      const rows = runs.map(runView).map(
        (r) =>
          html`<tr data-testid="run-row" data-run-id="${r.id}" data-status="${r.status}">
            <td><a href="/admin/reconciliation/${r.id}">${r.date}</a></td>
            <td>${names.get(r.payment_method_id) ?? r.payment_method_id}</td>
            <td>${badge(r.status)}${r.error ? html`<br /><small>${r.error}</small>` : ''}</td>
            <td>${counts(r)}</td>
            <td>${totals(r.totals)}</td>
            <td class="wrap">${r.file_name}<br /><small>${r.actor} via ${r.via}</small></td>
            <td>${when(r.created_at)}</td>
          </tr>`,
      );
      const body = html`${upload}
        <h2>Runs, newest first</h2>
        <form method="get" action="/admin/reconciliation" class="filters" role="search" aria-label="Filter runs">
          <label
            >Payment method
            <select name="payment_method_id">
              <option value="">any</option>
              ${options(pmId)}
            </select></label
          ><button type="submit">Filter</button>
        </form>
        ${listTable({ columns: ['Day', 'Method', 'Status', 'Counts', 'Totals', 'File', 'Imported'], rows, empty: 'No runs yet.', testId: 'run-table' })}
        <p>
          <small>${runs.length >= RUNS_LIMIT ? `The newest ${RUNS_LIMIT} runs.` : `${runs.length} run(s).`}</small>
        </p>`;
      return render(req.deps, req, reply, { title: 'Reconciliation', body, notice: notice(req.query) });
    },
  );

  // Multipart only here, in its own scope; the plugin's guard still runs first (session, role),
  // and the CSRF field must come first so nothing is read from a forged form.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: REPORT_UPLOAD_LIMITS });
    scope.post(
      '/reconciliation/runs',
      { config: { permission: 'reconciliation.import', csrfInHandler: true } },
      async (req, reply) => {
        const parts = req.parts();
        let first;
        try {
          first = await parts.next();
        } catch (e) {
          if (!isMalformedMultipart(e)) throw e;
          return refusal(req.deps, req, reply, malformedMultipart().error, {
            href: '/admin/reconciliation',
            label: 'Back to reconciliation',
          });
        }
        const token =
          !first.done && first.value.type === 'field' && first.value.fieldname === '_csrf'
            ? first.value.value
            : undefined;
        if (typeof token !== 'string' || !csrfOk(req, token)) return csrfRefused(req.deps, req, reply);
        const r = await importReportUpload(req.deps, parts, { actor: userActor(req), via: 'admin' });
        if (!r.ok)
          return refusal(req.deps, req, reply, r.error, {
            href: '/admin/reconciliation',
            label: 'Back to reconciliation',
          });
        return seeOther(
          reply,
          `/admin/reconciliation/${encodeURIComponent(r.value.run.id)}?notice=${r.value.recognised ? 'recognised' : 'imported'}`,
        );
      },
    );
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/reconciliation/:id',
    { config: { permission: 'reconciliation.read' } },
    async (req, reply) => {
      const found = await reconciliationRunPage(req.deps, req.params.id, TASKS_LIMIT);
      if (!found.ok)
        return refusal(req.deps, req, reply, found.error, {
          href: '/admin/reconciliation',
          label: 'Back to reconciliation',
        });
      const { method, tasks, refs } = found.value;
      const run = runView(found.value.run);
      const byKind = new Map<string, TaskRecord[]>();
      for (const t of tasks) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);

      const body = html`<dl data-testid="run-detail" data-status="${run.status}">
          <dt>Payment method</dt>
          <dd>${method?.name ?? run.payment_method_id}</dd>
          <dt>Day</dt>
          <dd>${run.date}</dd>
          <dt>Status</dt>
          <dd>${badge(run.status)}${run.error ? html` <span class="error">${run.error}</span>` : ''}</dd>
          <dt>File</dt>
          <dd>${run.file_name} <small>sha256 ${run.file_sha256.slice(0, 16)}…</small></dd>
          <dt>Imported by</dt>
          <dd>${run.actor} via ${run.via}, ${when(run.created_at)}</dd>
          ${
            run.completed_at
              ? html`<dt>Completed</dt>
                  <dd>${when(run.completed_at)}</dd>`
              : ''
          }
          <dt>Counts</dt>
          <dd>${counts(run)}</dd>
          <dt>Totals</dt>
          <dd>${totals(run.totals)}</dd>
        </dl>
        <h2>Exceptions</h2>
        ${byKind.size ? [...byKind].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, list]) => exceptionTable(kind, list, refs)) : html`<p data-testid="no-exceptions">This run raised no task.</p>`}
        ${
          tasks.length >= TASKS_LIMIT
            ? html`<p>
                <small
                  >The first ${TASKS_LIMIT} tasks are shown;
                  <a href="/admin/tasks?status=any&amp;run_id=${run.id}">the task list</a> filters them by kind and
                  owner.</small
                >
              </p>`
            : ''
        }
        <p><a href="/admin/reconciliation">Back to reconciliation</a></p>`;
      return render(req.deps, req, reply, { title: `Reconciliation of ${run.date}`, body, notice: notice(req.query) });
    },
  );
}
