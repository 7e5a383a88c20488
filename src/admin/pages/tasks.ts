import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import { assignTask, listTasks, resolveTask } from '../../app/tasks.js';
import { normalizeEmail } from '../../domain/review.js';
import { can, isRole, ROLES } from '../../domain/roles.js';
import { DEFAULT_TASK_OWNER } from '../../domain/timeline.js';
import { html, type Html } from '../../http/html.js';
import type { TaskQuery, TaskRecord } from '../../ports/storage.js';
import type { AdminContext } from '../context.js';
import {
  badge,
  csrfField,
  field,
  orderLink,
  orderReferences,
  refusal,
  render,
  seeOther,
  userActor,
  when,
  who,
} from '../render.js';

const KINDS = Object.keys(DEFAULT_TASK_OWNER).sort();
const STATUSES = ['open', 'resolved', 'any'] as const;
type StatusFilter = (typeof STATUSES)[number];
const LIMIT = 100;

// The only texts a redirect can put on the page: the key comes from the URL, the text from here.
const NOTICES: Record<string, string> = {
  assigned: 'The task was assigned.',
  resolved: 'The task was resolved; the order’s timeline says so.',
};

const noticeFor = (q: Record<string, unknown>): string | undefined =>
  typeof q.notice === 'string' && Object.hasOwn(NOTICES, q.notice) ? NOTICES[q.notice] : undefined;

interface TaskFilters {
  status: StatusFilter;
  /** "mine", "unowned", a role, an e-mail or another owner as stored; "" for anyone. */
  owner: string;
  kind: string;
  order_id: string;
  run_id: string;
}

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

/** The tasks the filters name: "mine" is what I own or my role owns, merged in queue order. */
async function findTasks(deps: AppDeps, ctx: AdminContext, f: TaskFilters): Promise<TaskRecord[]> {
  const newestFirst = f.status !== 'open';
  const base: TaskQuery = {
    ...(f.status !== 'any' && { status: f.status }),
    ...(f.kind && { kind: f.kind }),
    ...(f.order_id && { orderId: f.order_id }),
    ...(f.run_id && { runId: f.run_id }),
    newestFirst,
    limit: LIMIT,
  };
  if (f.owner === 'unowned') return listTasks(deps, { ...base, unowned: true });
  if (f.owner !== 'mine') return listTasks(deps, f.owner ? { ...base, owner: ownerValue(f.owner) } : base);
  const both = (
    await Promise.all([
      listTasks(deps, { ...base, owner: ctx.user.emailNorm }),
      listTasks(deps, { ...base, owner: ctx.user.role }),
    ])
  ).flat();
  const key = (t: TaskRecord) => `${t.createdAt} ${t.id}`;
  both.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (newestFirst ? -1 : 1));
  return both.slice(0, LIMIT);
}

/** People own tasks by their normalised e-mail (the count on every page compares with it). */
const ownerValue = (owner: string): string => (owner.includes('@') ? (normalizeEmail(owner) ?? owner) : owner);

const ownerText = (t: TaskRecord, ctx: AdminContext): Html =>
  t.owner === null
    ? html`<small>nobody</small>`
    : t.owner === ctx.user.emailNorm
      ? html`${t.owner} <small>(you)</small>`
      : html`${t.owner}`;

/** "run id:line number" → the run and its line; findings of the run's own checks have line numbers below one. */
function reportLineLink(reportLine: string | null | undefined): Html {
  if (!reportLine) return html``;
  const at = reportLine.lastIndexOf(':');
  const runId = reportLine.slice(0, at);
  const line = Number(reportLine.slice(at + 1));
  return html`<a href="/admin/reconciliation/${encodeURIComponent(runId)}"
    >${line >= 1 ? `line ${line}` : 'day check'}</a
  >`;
}

/** The task queue, one task's page, and the two actions on a task: assign and resolve. */
export async function taskPages(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/tasks',
    { config: { permission: 'tasks.read' } },
    async (req, reply) => {
      const ctx = who(req);
      const { f, ignored } = readFilters(req.query);
      const [tasks, counts] = await Promise.all([findTasks(deps, ctx, f), deps.storage.read.countOpenTasks()]);
      const refs = await orderReferences(
        deps,
        tasks.map((t) => t.orderId),
      );
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
      return render(deps, req, reply, {
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
      const t = await deps.storage.read.getTask(req.params.id);
      if (!t)
        return refusal(
          deps,
          req,
          reply,
          { code: 'task_not_found', message: 'There is no such task.' },
          { href: '/admin/tasks', label: 'Back to the tasks' },
        );
      const refs = await orderReferences(deps, [t.orderId]);
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
      return render(deps, req, reply, {
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
        if (email && (await deps.storage.read.findUserByEmail(email))) owner = email;
        else
          return refusal(
            deps,
            req,
            reply,
            { code: 'user_not_found', message: 'There is no user with that e-mail address.' },
            back,
          );
      }
      if (!owner)
        return refusal(
          deps,
          req,
          reply,
          { code: 'invalid_request', message: 'Choose who the task goes to: you, a role or a person.' },
          back,
        );
      const r = await assignTask(deps, { taskId: req.params.id, owner }, userActor(req));
      if (!r.ok) return refusal(deps, req, reply, r.error, back);
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
          deps,
          req,
          reply,
          { code: 'invalid_request', message: 'The note may be at most 2000 characters.' },
          back,
        );
      const r = await resolveTask(deps, { taskId: req.params.id, note }, userActor(req));
      if (!r.ok) return refusal(deps, req, reply, r.error, back);
      return seeOther(reply, `${back.href}?notice=resolved`);
    },
  );
}

function backTo(taskId: string, from: string | undefined): { href: string; label: string } {
  return from === 'list'
    ? { href: '/admin/tasks', label: 'Back to the tasks' }
    : { href: `/admin/tasks/${encodeURIComponent(taskId)}`, label: 'Back to the task' };
}

function actionForms(t: TaskRecord, ctx: AdminContext): Html {
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

function filterForm(f: TaskFilters, ctx: AdminContext): Html {
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
function summary(counts: readonly { owner: string | null; kind: string; count: number }[], ctx: AdminContext): Html {
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
