import type { runView } from '../../contract/reconciliation-run.js';
import type { CurrencyTotals } from '../../domain/reconciliation.js';
import type { TaskRecord } from '../../domain/task.js';
import { html, type Html } from '../../web/html.js';
import { badge, money } from '../render.js';

// The reconciliation pages' parts: a run's counts and totals, and its exceptions by kind.

type Run = ReturnType<typeof runView>;

export function exceptionTable(kind: string, tasks: readonly TaskRecord[], refs: Map<string, string>): Html {
  return html`<section data-testid="exception-kind" data-kind="${kind}">
    <h3>${kind.replaceAll('_', ' ')} (${tasks.length})</h3>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Order</th>
            <th scope="col">Task</th>
          </tr>
        </thead>
        <tbody>
          ${tasks.map((t) => {
            const line = Number(t.reportLine?.slice(t.reportLine.lastIndexOf(':') + 1));
            return html`<tr data-testid="exception-row" data-task-id="${t.id}">
              <td>${line >= 1 ? line : 'day check'}</td>
              <td class="wrap">${t.reason}</td>
              <td>${badge(t.status)}</td>
              <td>${t.owner ?? 'nobody'}</td>
              <td>
                ${t.orderId ? html`<a href="/admin/orders/${t.orderId}">${refs.get(t.orderId) ?? t.orderId}</a>` : html`<small>none</small>`}
              </td>
              <td><a href="/admin/tasks/${t.id}">Open task</a></td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function counts(r: Run): Html {
  if (!r.counts) return html`<small>not counted yet</small>`;
  const kinds = Object.entries(r.counts.exceptions).sort(([a], [b]) => (a < b ? -1 : 1));
  const exceptions = kinds.reduce((s, [, n]) => s + n, 0);
  return html`<span
      data-testid="run-counts"
      data-lines="${r.counts.lines}"
      data-matched="${r.counts.matched}"
      data-unreadable="${r.counts.unreadable}"
      data-exceptions="${exceptions}"
      >${r.counts.lines} lines, ${r.counts.matched} matched, ${r.counts.unreadable} unreadable, ${exceptions}
      exception(s)</span
    >${
      kinds.length
        ? html`<ul>
            ${kinds.map(([k, n]) => html`<li>${k.replaceAll('_', ' ')}: ${n}</li>`)}
          </ul>`
        : ''
    }`;
}

export function totals(t: Record<string, CurrencyTotals> | null): Html {
  const entries = Object.entries(t ?? {});
  if (!entries.length) return html`<small>none</small>`;
  return html`<ul data-testid="run-totals">
    ${entries.map(
      ([cur, x]) =>
        html`<li data-currency="${cur}">
          ${cur}: sales ${amount(x.sales, cur)}, refunds ${amount(x.refunds, cur)}, chargebacks
          ${amount(x.chargebacks, cur)}, fees ${amount(x.fees, cur)}, <strong>net ${amount(x.net, cur)}</strong>
        </li>`,
    )}
  </ul>`;
}

// A report may name a currency this server has no exponent for: show minor units then.
function amount(minor: number, currency: string): string {
  try {
    return money(minor, currency);
  } catch {
    return `${minor} (minor units)`;
  }
}
