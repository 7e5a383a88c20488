import escapeHtml from 'escape-html';

// A tagged template that escapes every interpolated value unless it is already Html. Written
// here because it is ten lines over escape-html; pages stay server-rendered with no engine.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

// Prettier formats these templates as HTML: it breaks long tags over lines (`<input\n  name="a"\n/>`,
// `</a\n>`), puts an interpolated attribute on a line of its own and reflows text. The template's
// own text is read back as the browser reads it: inside a tag (outside its quoted values) a run of
// whitespace is one space and there is none before its `>`; in text, a run of whitespace is one
// space, except inside <pre> and <textarea>, where only the newline after the start tag goes (the
// browser drops it). So the page is the same, byte for byte where it matters, however the source is
// laid out. The values are never touched. Done once per template: its strings are a constant.
interface Tight {
  parts: string[];
  /** Whether the value after part i stands in a tag, outside quotes (an attribute of its own). */
  attr: boolean[];
}
const tightened = new WeakMap<TemplateStringsArray, Tight>();
const SPACE = /\s/;

function tighten(strings: TemplateStringsArray): Tight {
  const done = tightened.get(strings);
  if (done) return done;
  let inTag = false;
  let quote: string | null = null;
  let tagName = '';
  let raw = false; // inside <pre> or <textarea>
  const attr: boolean[] = [];
  const parts = strings.map((s) => {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (inTag && quote) {
        if (c === quote) quote = null;
        out += c;
      } else if (inTag) {
        if (c === '"' || c === "'") quote = c;
        if (SPACE.test(c)) {
          while (i + 1 < s.length && SPACE.test(s[i + 1]!)) i++;
          if (s[i + 1] !== '>' && !out.endsWith('<')) out += ' ';
          continue;
        }
        if (/[A-Za-z/]/.test(c) && out.endsWith('<' + tagName)) tagName += c.toLowerCase();
        out += c;
        if (c === '>') {
          inTag = false;
          if (tagName === 'pre' || tagName === 'textarea') {
            raw = true;
            if (s[i + 1] === '\n') i++;
          } else if (tagName === '/pre' || tagName === '/textarea') raw = false;
        }
      } else if (c === '<') {
        inTag = true;
        tagName = '';
        out += c;
      } else if (!raw && SPACE.test(c)) {
        while (i + 1 < s.length && SPACE.test(s[i + 1]!)) i++;
        out += ' ';
      } else {
        out += c;
      }
    }
    const between = inTag && !quote;
    attr.push(between);
    return between ? out.trimEnd() : out;
  });
  const t = { parts, attr };
  tightened.set(strings, t);
  return t;
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  const { parts, attr } = tighten(strings);
  let out = parts[0] ?? '';
  values.forEach((v, i) => {
    const text = render(v);
    // An attribute brought in by a value is set off by one space, whatever the template had.
    const lead = attr[i] && text !== '' && !SPACE.test(text[0]!) && !out.endsWith('<') ? ' ' : '';
    out += lead + text + (parts[i + 1] ?? '');
  });
  return new Html(out);
}

/** A whole page: readable on a phone, no script. `lang`: the language it is written in. */
export function page(title: string, body: Html, opts: { refreshSeconds?: number; lang?: string } = {}): string {
  return html`<!doctype html>
    <html lang="${opts.lang ?? 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}" />` : ''}
        <title>${title}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 42rem;
            margin: 2rem auto;
            padding: 0 1rem;
            line-height: 1.5;
            color: #1d1d1f;
          }
          h1 {
            font-size: 1.5rem;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          td,
          th {
            text-align: left;
            padding: 0.3rem 0.5rem;
            border-bottom: 1px solid #ddd;
            vertical-align: top;
          }
          .status {
            display: inline-block;
            padding: 0.1rem 0.5rem;
            border-radius: 0.3rem;
            background: #eee;
          }
          .paid {
            background: #d4f5d4;
          }
          .failed {
            background: #f8d7d7;
          }
          button,
          .button {
            font-size: 1rem;
            padding: 0.5rem 1rem;
            margin: 0.25rem 0;
            cursor: pointer;
          }
          small {
            color: #666;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`.value;
}
