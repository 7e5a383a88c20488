import { Html, html } from '../web/html.js';
import { can, type Permission } from '../domain/roles.js';
import type { OpenTaskCount } from '../app/queries/admin-tasks.js';
import type { AdminContext } from './context.js';

const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: '/admin/orders', label: 'Orders', permission: 'orders.read' },
  { href: '/admin/tasks', label: 'Tasks', permission: 'tasks.read' },
  { href: '/admin/reconciliation', label: 'Reconciliation', permission: 'reconciliation.read' },
  { href: '/admin/callbacks', label: 'Callbacks', permission: 'diagnostics.read' },
  { href: '/admin/outbox', label: 'Outbox', permission: 'diagnostics.read' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings.read' },
];

// One stylesheet for every page: readable on a phone (tables scroll sideways inside their
// box), visible focus for keyboard users, no script.
const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;line-height:1.45;color:#1d1d1f;background:#fafafa}
a{color:#0645ad}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f90;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header{background:#1d1d1f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
header a{color:#fff}header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header .who{margin-left:auto;display:flex;gap:.75rem;align-items:center}header form{margin:0}
main{max-width:76rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.scroll{overflow-x:auto;background:#fff;border:1px solid #ddd;border-radius:.3rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee;vertical-align:top;white-space:nowrap}td.wrap{white-space:normal;min-width:14rem}
.badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;background:#e5e5ea;color:#1d1d1f;font-size:.85em}.badge.hot{background:#ffd60a}
.notice{background:#d4f5d4;padding:.5rem 1rem;border-radius:.3rem}.error{background:#f8d7d7;padding:.5rem 1rem;border-radius:.3rem}
form.inline{display:inline}fieldset{border:1px solid #ddd;border-radius:.3rem;background:#fff;margin:.5rem 0;padding:.5rem 1rem}
label{display:block;margin:.35rem 0}input,select,textarea{font:inherit;padding:.3rem;max-width:100%}textarea{width:100%}
button{font:inherit;padding:.35rem .9rem;cursor:pointer}.filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:end}
.filters label{margin:0}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#555}dd{margin:0}small{color:#666}
.actions{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:.5rem}`;

// The stylesheet is a constant of this file, not input: it goes in as it is.
const CSS = new Html(STYLE);

/** A whole admin page: the menu shows only what the role may open, and the open task count. */
export function adminPage(
  ctx: AdminContext,
  opts: { title: string; body: Html; tasks: OpenTaskCount; notice?: string; error?: string },
): string {
  const items = NAV.filter((n) => can(ctx.user.role, n.permission));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · Settle</title>
        <style>
          ${CSS}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <strong>Settle</strong>
          <nav aria-label="Main">
            <ul>
              ${items.map(
                (n) =>
                  html`<li>
                    <a href="${n.href}">${n.label}</a
                    >${n.href === '/admin/tasks' ? html` <span class="badge${opts.tasks.mine > 0 ? ' hot' : ''}" data-testid="task-count" title="open tasks for you / all open tasks">${opts.tasks.mine}/${opts.tasks.total}</span>` : ''}
                  </li>`,
              )}
            </ul>
          </nav>
          <div class="who">
            <span data-testid="who">${ctx.user.email} (${ctx.user.role})</span>
            <form method="post" action="/admin/sign-out">
              <input type="hidden" name="_csrf" value="${ctx.csrfToken}" /><button type="submit">Sign out</button>
            </form>
          </div>
        </header>
        <main id="main">
          ${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ''}${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
          <h1>${opts.title}</h1>
          ${opts.body}
        </main>
      </body>
    </html>`.value;
}

/** A page for someone not signed in (the sign-in form, an error before sign-in). */
export function publicPage(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Settle</title>
        <style>
          ${CSS}
        </style>
      </head>
      <body>
        <main id="main" style="max-width:26rem">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}
