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

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** A whole page: readable on a phone, no script. */
export function page(title: string, body: Html, opts: { refreshSeconds?: number } = {}): string {
  return html`<!doctype html>
    <html lang="en">
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
