// The sandbox's pages: one small layout that says no real money moves, and a message page.
import type { FastifyReply } from 'fastify';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page; `who` names the provider played ("acquirer"). */
export function sandboxPage(who: string, title: string, body: string): string {
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(who)} sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}form{display:inline}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style>
</head><body><p><small>${escapeHtml(Who)} sandbox: no real money moves here.</small></p>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** A page with one message (refusals, "Done"). */
export function sendPage(reply: FastifyReply, who: string, code: number, title: string, message: string): FastifyReply {
  return reply
    .code(code)
    .type('text/html; charset=utf-8')
    .send(sandboxPage(who, title, `<p data-testid="message">${escapeHtml(message)}</p>`));
}
