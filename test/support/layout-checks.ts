import type { Page } from 'playwright-core';

// Layout checks by bounding boxes, run inside the page. The script is given as text because this
// project compiles without the DOM's types (and tsx's helpers would not exist in the page).
//
// What counts as a problem:
// - overlap: two visible controls or boxes (buttons, inputs, selects, textareas, links, links
//   styled as buttons, pills, fieldsets, action boxes, tables) whose visible rectangles intersect,
//   neither inside the other;
// - overflow: an element whose content is wider than its box, or taller than a box that clips:
//   visibly spilling out (overflow visible), cut off (overflow hidden or clip), or hidden behind
//   a scroll bar (overflow auto) where scrolling is not allowed (wide screens; on a phone a table
//   may scroll sideways inside its own container). A text field's long value is not counted;
//   the field scrolls it by design;
// - page scroll: the page itself wider than the window, with the elements that cross its edge.
const SCRIPT = String.raw`(() => {
  const TOL = 1;
  const allowScroll = __ALLOW_SCROLL__;
  const vw = window.innerWidth;
  const problems = [];
  const cut = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const textOf = (e) =>
    cut(((e.innerText || '').trim() || e.value || e.getAttribute('aria-label') || e.getAttribute('placeholder') || '')
      .replace(/\s+/g, ' '), 40);
  const bits = (e) => {
    let s = e.tagName.toLowerCase();
    if (e.id) return s + '#' + e.id;
    const tid = e.getAttribute('data-testid');
    if (tid) return s + '[data-testid=' + tid + ']';
    const name = e.getAttribute('name');
    if (name) return s + '[name=' + name + ']';
    if (e.classList.length) s += '.' + [...e.classList].join('.');
    return s;
  };
  const column = (e) => {
    const cell = e.closest('td, th');
    const table = cell && cell.closest('table');
    const head = table && table.tHead && table.tHead.rows[0];
    const th = head && head.cells[cell.cellIndex];
    return th ? ' (column ' + JSON.stringify(th.innerText.trim()) + ')' : '';
  };
  // "section#h-… > form[data-testid=refund-form] > input[name=reason] "…"": the element, the
  // nearest named ancestor, the table column it is in, and its text.
  const describe = (e) => {
    let where = '';
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.id || a.getAttribute('data-testid') || a.tagName === 'FIELDSET') {
        const legend = a.tagName === 'FIELDSET' && a.querySelector('legend');
        where = bits(a) + (legend ? '(' + JSON.stringify(textOf(legend)) + ')' : '') + ' > ';
        break;
      }
    }
    const t = textOf(e);
    return where + bits(e) + column(e) + (t ? ' ' + JSON.stringify(t) : '');
  };
  // Rendered and not hidden (the inside of a closed <details> is laid out but not shown).
  const shown = (e) =>
    e.getClientRects().length > 0 && e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true });
  const clips = (cs) => cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
  // The part of an element one can see: its box cut by every ancestor that clips its content.
  const visibleRect = (e) => {
    const b = e.getBoundingClientRect();
    let r = { l: b.left, t: b.top, r: b.right, b: b.bottom };
    for (let a = e.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (!clips(getComputedStyle(a))) continue;
      const c = a.getBoundingClientRect();
      r = { l: Math.max(r.l, c.left), t: Math.max(r.t, c.top), r: Math.min(r.r, c.right), b: Math.min(r.b, c.bottom) };
    }
    return r.r - r.l > TOL && r.b - r.t > TOL ? r : null;
  };
  const px = (n) => Math.round(n) + 'px';

  // 1. Two controls or boxes on top of each other.
  const CONTROLS = 'button, input:not([type=hidden]), select, textarea, a[href], summary, [role=button], .badge, .status';
  const BOXES = 'fieldset, .actions > *, article, table, .scroll';
  const items = [];
  for (const e of document.querySelectorAll(CONTROLS + ', ' + BOXES)) {
    if (!shown(e) || e.closest('.skip')) continue;
    const r = visibleRect(e);
    if (r) items.push({ e, r });
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      const w = Math.min(a.r.r, b.r.r) - Math.max(a.r.l, b.r.l);
      const h = Math.min(a.r.b, b.r.b) - Math.max(a.r.t, b.r.t);
      if (w > TOL && h > TOL)
        problems.push('overlap (' + px(w) + ' × ' + px(h) + '): ' + describe(a.e) + ' ↔ ' + describe(b.e));
    }
  }

  // 2. Content wider or taller than its box: spilling out, cut off, or behind a scroll bar.
  for (const e of document.body.querySelectorAll('*')) {
    if (!shown(e) || e.closest('.skip')) continue;
    const cs = getComputedStyle(e);
    if (cs.display === 'inline' || cs.display === 'contents') continue;
    // A text field scrolls a value longer than itself by design.
    if (e.matches('input, textarea')) continue;
    const over = e.scrollWidth - e.clientWidth;
    // Content that spills downwards out of a box of auto height (an inline link's padding) lands
    // in the margin below; where it lands on something, the overlap check says so.
    const down = cs.overflowY === 'visible' ? 0 : e.scrollHeight - e.clientHeight;
    if (over <= TOL && down <= TOL) continue;
    const axis = over > TOL ? px(over) + ' wider' : px(down) + ' taller';
    const mode = over > TOL ? cs.overflowX : cs.overflowY;
    if (mode === 'visible') {
      // A child that spills over the edge of this box is named with it.
      const er = e.getBoundingClientRect();
      const out = [...e.querySelectorAll('*')].find((c) => {
        if (!shown(c)) return false;
        const cr = c.getBoundingClientRect();
        return cr.right > er.right + TOL;
      });
      problems.push('content sticks out (' + axis + ' than its box): ' + describe(e) + (out ? ', by ' + describe(out) : ''));
    } else if (mode === 'hidden' || mode === 'clip') {
      problems.push('content cut off (' + axis + ' than its box, overflow ' + mode + '): ' + describe(e));
    } else if (!(allowScroll && over > TOL && down <= TOL)) {
      // Hidden behind a scroll bar: name the last column or control one cannot see.
      const er = e.getBoundingClientRect();
      const hidden = [...e.querySelectorAll('th, button, input, select, a')].filter((c) => shown(c) && c.getBoundingClientRect().right > er.right + TOL);
      problems.push('needs a scroll bar (' + axis + ' than its box) at this width: ' + describe(e) +
        (hidden.length ? ', hides ' + hidden.slice(0, 3).map(describe).join('; ') : ''));
    }
  }

  // 3. The page itself wider than the window: name the outermost elements over its right edge.
  const doc = document.documentElement;
  if (doc.scrollWidth > vw + TOL) {
    const crossing = [...document.body.querySelectorAll('*')].filter((e) => {
      if (!shown(e)) return false;
      const p = e.parentElement;
      return e.getBoundingClientRect().right > vw + TOL && (!p || p === document.body || p.getBoundingClientRect().right <= vw + TOL);
    });
    problems.push('the page scrolls sideways (' + doc.scrollWidth + 'px wide in a ' + vw + 'px window): ' +
      (crossing.slice(0, 3).map(describe).join('; ') || 'no single element'));
  }
  return problems;
})()`;

/**
 * Every layout problem on the page as it is now, each naming the elements (selector, column,
 * text). `scrollBoxes`: whether a container may scroll its content sideways (a phone's width).
 */
export async function layoutProblems(page: Page, opts: { scrollBoxes: boolean }): Promise<string[]> {
  await page.evaluate('document.fonts.ready');
  const found = await page.evaluate(SCRIPT.replace('__ALLOW_SCROLL__', String(opts.scrollBoxes)));
  return found as string[];
}
