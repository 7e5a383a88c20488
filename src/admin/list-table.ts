import { html, type Html } from '../web/html.js';

/**
 * A list page's table: its column headers and rows, or one row saying the list is empty, in a box
 * of its own that scrolls sideways on a phone (admin.css `.scroll`) rather than the whole page.
 */
export function listTable(t: {
  columns: readonly string[];
  rows: readonly Html[];
  /** What the one row of an empty list says. */
  empty: string;
  testId?: string;
  /** For screen readers only (`.skip`). */
  caption?: string;
}): Html {
  return html`<div class="scroll">
    <table ${t.testId ? html`data-testid="${t.testId}"` : ''}>
      ${t.caption ? html`<caption class="skip">${t.caption}</caption>` : ''}
      <thead>
        <tr>
          ${t.columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${
          t.rows.length
            ? t.rows
            : html`<tr>
              <td colspan="${t.columns.length}">${t.empty}</td>
            </tr>`
        }
      </tbody>
    </table>
  </div>`;
}

/** Under a keyset-paged list: back to its first page once past it, on to the next, or its end. */
export function pager(p: { first: string | null; next: string | null; nextTestId?: string }): Html {
  return html`<p>
    ${p.first ? html`<a href="${p.first}">First page</a> · ` : ''}${
      p.next
        ? html`<a href="${p.next}" rel="next" ${p.nextTestId ? html`data-testid="${p.nextTestId}"` : ''}>Next page</a>`
        : html`<small>End of the list.</small>`
    }
  </p>`;
}
