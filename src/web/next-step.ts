import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { NextStep } from '../domain/order.js';
import { html, page } from './html.js';

// The one script on the page, allowed by its hash and nothing else.
// No quotes or brackets an HTML escaper would touch: the text sent is exactly the hashed text.
const SUBMIT_SCRIPT = 'document.forms[0].submit();';
const SCRIPT_HASH = createHash('sha256').update(SUBMIT_SCRIPT).digest('base64');

/**
 * The page of a `form_post` next step: the provider's form, posted by itself on load, with a
 * button for a browser without script. Only the form's own target may receive it.
 */
export function formPostPage(step: Extract<NextStep, { type: 'form_post' }>): string {
  const inputs = Object.entries(step.fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  return page(
    'Going to the payment page',
    html`<h1>Going to the payment page…</h1>
      <form id="next-step" method="post" action="${step.url}" accept-charset="UTF-8">
        ${inputs}
        <noscript><p>Press the button to go on to the payment page.</p></noscript>
        <button type="submit" class="button">Go to the payment page</button>
      </form>
      <script>${SUBMIT_SCRIPT}</script>`,
  );
}

/** Sends the customer on: a 303 to a redirect's URL, or the self-posting form of a form_post. */
export function sendNextStep(reply: FastifyReply, step: NextStep): FastifyReply {
  if (step.type === 'redirect') return reply.redirect(step.url, 303);
  const target = new URL(step.url).origin;
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header(
      'content-security-policy',
      `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; form-action ${target}; base-uri 'none'; frame-ancestors 'none'`,
    )
    .send(formPostPage(step));
}
