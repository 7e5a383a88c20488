import type { FastifyInstance } from 'fastify';
import { isUser, taskPage, taskQueue, type TaskFilters } from '../../app/queries/admin-tasks.js';
import { assignTask, resolveTask } from '../../app/tasks.js';
import { normalizeEmail } from '../../domain/review.js';
import { can, isRole } from '../../domain/roles.js';
import { html } from '../../web/html.js';
import { badge, csrfField, field, orderLink, refusal, render, seeOther, userActor, when, who } from '../render.js';
import { actionForms, filterForm, KINDS, ownerText, reportLineLink, STATUSES, summary } from './task-view.js';

type StatusFilter = TaskFilters['status'];
const LIMIT = 100;

// The only texts a redirect can put on the page: the key comes from the URL, the text from here.
const NOTICES: Record<string, string> = {
  assigned: 'The task was assigned.',
  resolved: 'The task was resolved; the order’s timeline says so.',
};

const noticeFor = (q: Record<string, unknown>): string | undefined =>
  typeof q.notice === 'string' && Object.hasOwn(NOTICES, q.notice) ? NOTICES[q.notice] : undefined;

function text(q: Record<string, unknown>, name: string, max: number): string {
  const v = q[name];
  return typeof v === 'string' && v.trim().length <= max ? v.trim() : '';
}

// Like the order list: a value outside its list is ignored with a message, not a failed page.
function readFilters(q: Record<string, unknown>): { f: TaskFilters; ignored: string[] } {
  const ignored: string[] = [];
  const status = text(q, 'status', 20);
  const kind = text(q, 'kind', 64);
  if (status && !(STATUSES as readonly string[]).includes(status)) ignored.push(`status "${status}"`);
  if (kind && !KINDS.includes(kind)) ignored.push(`kind "${kind}"`);
  return {
    f: {
      status: (STATUSES as readonly string[]).includes(status) ? (status as StatusFilter) : 'open',
      owner: text(q, 'owner', 254),
      kind: KINDS.includes(kind) ? kind : '',
      order_id: text(q, 'order_id', 64),
      run_id: text(q, 'run_id', 64),
    },
    ignored,
  };
}

/** The task queue, one task's page, and the two actions on a task: assign and resolve. */
export async function taskPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/tasks',
    { config: { permission: 'tasks.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const { f, ignored } = readFilters(req.query);
      const { tasks, counts, refs } = await taskQueue(req.deps, ctx.user, f, LIMIT);
      const canWork = can(ctx.user.role, 'tasks.work');
      const notice = noticeFor(req.query);

      const body = html`${filterForm(f, ctx)}${summary(counts, ctx)}
        <h2 id="queue">${f.status === 'open' ? 'Open tasks, oldest first' : 'Tasks, newest first'}</h2>
        <div class="scroll">
          <table data-testid="task-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Reason</th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Order</th>
                <th scope="col">Report</th>
                <th scope="col">Created</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              ${
                tasks.length
                  ? tasks.map(
                      (t) =>
                        html`<tr data-testid="task-row" data-task-id="${t.id}" data-kind="${t.kind}">
                          <td><a href="/admin/tasks/${t.id}">${t.kind.replaceAll('_', ' ')}</a></td>
                          <td class="wrap">
                            ${t.reason}${t.resolution ? html`<br /><small>Resolved: ${t.resolution}</small>` : ''}
                          </td>
                          <td>${ownerText(t, ctx)}</td>
                          <td>${badge(t.status)}</td>
                          <td>${orderLink(t.orderId, refs)}</td>
                          <td>${reportLineLink(t.reportLine)}</td>
                          <td>${when(t.createdAt)}</td>
                          <td>
                            ${canWork && t.status === 'open' ? html`${t.owner !== ctx.user.emailNorm ? html`<form method="post" action="/admin/tasks/${t.id}/assign" class="inline">${csrfField(ctx)}<input type="hidden" name="to" value="me" /><input type="hidden" name="from" value="list" /><button type="submit" data-testid="take-task">Take it</button></form> ` : ''}<a href="/admin/tasks/${t.id}#resolve">Resolve…</a>` : ''}
                          </td>
                        </tr>`,
                    )
                  : html`<tr>
                      <td colspan="8">No tasks match.</td>
                    </tr>`
              }
            </tbody>
          </table>
        </div>
        <p>
          <small
            >${tasks.length >= LIMIT ? `Showing the first ${LIMIT}; narrow the filters to see the rest.` : `${tasks.length} task(s).`}</small
          >
        </p>`;
      return render(req.deps, req, reply, {
        title: 'Tasks',
        body,
        notice,
        error: ignored.length ? `Ignored unknown filter value(s): ${ignored.join(', ')}.` : undefined,
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/tasks/:id',
    { config: { permission: 'tasks.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const found = await taskPage(req.deps, req.params.id);
      if (!found)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'task_not_found', message: 'There is no such task.' },
          { href: '/admin/tasks', label: 'Back to the tasks' },
        );
      const { task: t, refs } = found;
      const canWork = can(ctx.user.role, 'tasks.work') && t.status === 'open';
      const body = html`<dl data-testid="task-detail" data-status="${t.status}">
          <dt>Kind</dt>
          <dd>${t.kind.replaceAll('_', ' ')}</dd>
          <dt>Status</dt>
          <dd>${badge(t.status)}</dd>
          <dt>Reason</dt>
          <dd>${t.reason}</dd>
          <dt>Owner</dt>
          <dd>${ownerText(t, ctx)}</dd>
          <dt>Order</dt>
          <dd>${orderLink(t.orderId, refs)}</dd>
          ${
            t.reportLine
              ? html`<dt>Report</dt>
                  <dd>${reportLineLink(t.reportLine)}</dd>`
              : ''
          }
          <dt>Created</dt>
          <dd>${when(t.createdAt)}</dd>
          ${
            t.status === 'resolved'
              ? html`<dt>Resolved</dt>
                  <dd>${when(t.resolvedAt)}</dd>
                  <dt>Resolution</dt>
                  <dd data-testid="resolution">${t.resolution}</dd>`
              : ''
          }
        </dl>
        ${canWork ? actionForms(t, ctx) : ''}
        <p><a href="/admin/tasks">Back to the tasks</a></p>`;
      return render(req.deps, req, reply, {
        title: `Task: ${t.kind.replaceAll('_', ' ')}`,
        body,
        notice: noticeFor(req.query),
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/tasks/:id/assign',
    { config: { permission: 'tasks.work' } },
    async (req, reply) => {
      const ctx = who(req);
      const back = backTo(req.params.id, field(req.body, 'from'));
      const to = field(req.body, 'to') ?? '';
      let owner: string | undefined;
      if (to === 'me') owner = ctx.user.emailNorm;
      else if (isRole(to)) owner = to;
      else if (to === 'email') {
        const email = normalizeEmail(field(req.body, 'email'));
        // Only someone who can sign in: a mistyped address would hide the task from everyone's "mine".
        if (email && (await isUser(req.deps, email))) owner = email;
        else
          return refusal(
            req.deps,
            req,
            reply,
            { code: 'user_not_found', message: 'There is no user with that e-mail address.' },
            back,
          );
      }
      if (!owner)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'invalid_request', message: 'Choose who the task goes to: you, a role or a person.' },
          back,
        );
      const r = await assignTask(req.deps, { taskId: req.params.id, owner }, userActor(req));
      if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
      return seeOther(reply, `${back.href}?notice=assigned`);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/tasks/:id/resolve',
    { config: { permission: 'tasks.work' } },
    async (req, reply) => {
      const back = backTo(req.params.id, field(req.body, 'from'));
      const note = field(req.body, 'note') ?? '';
      if (note.length > 2000)
        return refusal(
          req.deps,
          req,
          reply,
          { code: 'invalid_request', message: 'The note may be at most 2000 characters.' },
          back,
        );
      const r = await resolveTask(req.deps, { taskId: req.params.id, note }, userActor(req));
      if (!r.ok) return refusal(req.deps, req, reply, r.error, back);
      return seeOther(reply, `${back.href}?notice=resolved`);
    },
  );
}

function backTo(taskId: string, from: string | undefined): { href: string; label: string } {
  return from === 'list'
    ? { href: '/admin/tasks', label: 'Back to the tasks' }
    : { href: `/admin/tasks/${encodeURIComponent(taskId)}`, label: 'Back to the task' };
}
