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

// One stylesheet for every page, no script. On a wide screen tables wrap their cells to fit the
// page; on a phone they keep one line a cell and scroll sideways inside their own box (.scroll),
// never the page. Action boxes sit in a grid that wraps, each as wide as its column, and their
// fields fit the box. Visible focus for keyboard users. test/browser/layout.browser.test.ts
// checks every page at 1280 and 390 px wide.
const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;line-height:1.45;color:#1d1d1f;background:#f5f5f7}
a{color:#0645ad}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f90;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header{background:#1d1d1f;color:#fff;padding:.5rem 1.5rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
header a{color:#fff}header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header .who{margin-left:auto;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;min-width:0;overflow-wrap:anywhere}header form{margin:0}
main{max-width:90rem;margin:0 auto;padding:1rem 1.5rem}h1{font-size:1.4rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}h3{font-size:1rem}
.public{max-width:28rem}.brand{margin:2rem 0 0}.brand strong{font-size:1.6rem;display:block}.brand small{font-size:.95rem}
.public form{background:#fff;border:1px solid #d8d8dc;border-radius:.3rem;padding:.5rem 1rem 1rem}.public label>input{display:block;width:100%;margin-top:.15rem}
.scroll{overflow-x:auto;max-width:100%;background:#fff;border:1px solid #d8d8dc;border-radius:.3rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eee;vertical-align:top;white-space:nowrap}th{background:#f2f2f4;font-size:.9em}
td.wrap{white-space:normal;min-width:14rem;overflow-wrap:anywhere}td form{margin:.1rem 0;white-space:normal}td form label{display:block;margin:0 0 .25rem}td form label>input{display:block;width:100%;min-width:8rem}td button{white-space:nowrap}
@media (max-width:40rem){main,header{padding-left:1rem;padding-right:1rem}}@media (min-width:60rem){td,th{white-space:normal;overflow-wrap:break-word;padding:.4rem .45rem}td.wrap{min-width:8rem}}
pre,code,td small{overflow-wrap:anywhere}pre{white-space:pre-wrap}time>span{white-space:nowrap}
.badge{display:inline-block;padding:0 .5rem;border-radius:.6rem;background:#e5e5ea;color:#3a3a3c;font-size:.85em;white-space:nowrap}
.badge.hot{background:#ffd60a;color:#1d1d1f}.tone-ok{background:#d3f4dc;color:#0b5d1e}.tone-info{background:#dbe9ff;color:#0b4a9e}
.tone-wait{background:#ffeeba;color:#6b4a00}.tone-bad{background:#fbd5d5;color:#8a1111}.tone-back{background:#eadcfb;color:#5b2a91}
.tone-off{background:#e5e5ea;color:#3a3a3c}
.notice{background:#d4f5d4;padding:.5rem 1rem;border-radius:.3rem}.error{background:#f8d7d7;padding:.5rem 1rem;border-radius:.3rem}
form.inline{display:inline}fieldset{border:1px solid #d8d8dc;border-radius:.3rem;background:#fff;margin:.5rem 0;padding:.5rem 1rem .75rem;min-width:0}
label{display:block;margin:.35rem 0}input,select,textarea{font:inherit;padding:.3rem;max-width:100%}textarea{width:100%}
button{font:inherit;padding:.35rem .9rem;cursor:pointer;max-width:100%}.filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:end}
.filters label{margin:0}dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}dt{color:#555}dd{margin:0;min-width:0;overflow-wrap:anywhere}small{color:#666}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,17rem),1fr));gap:.75rem;align-items:stretch}
.actions>*{min-width:0}.actions>form{display:flex;margin:0}.actions>form>fieldset{flex:1 1 auto;margin:0}
.actions>section{background:#fff;border:1px solid #d8d8dc;border-radius:.3rem;padding:0 1rem .5rem}.actions>section>h2{margin-top:.75rem}
.actions label>input:not([type=checkbox]):not([type=radio]),.actions label>select{display:block;width:100%;margin-top:.15rem}
.actions fieldset button{margin:.35rem .5rem 0 0}`;

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
        <main id="main" class="public">
          <p class="brand">
            <strong>Settle</strong>
            <small>Payments, refunds, delivery and reconciliation for your shop’s orders.</small>
          </p>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}
