import type { FastifyRequest } from 'fastify';
import { html, type Html } from '../../web/html.js';

/**
 * The notice a settings page shows after a redirect: only texts of the page's own fixed set, by
 * key, so a crafted link cannot make the page say anything else.
 */
export function noticeOf(req: FastifyRequest, notices: Record<string, string>): string | undefined {
  const key = (req.query as Record<string, unknown> | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

/** The way back to the settings index, above every settings page. */
export const settingsCrumb = (more?: { href: string; label: string }): Html =>
  html`<p><a href="/admin/settings">Settings</a>${more ? html` › <a href="${more.href}">${more.label}</a>` : ''}</p>`;

export const checked = (on: boolean): Html => (on ? html` checked` : html``);
export const selected = (on: boolean): Html => (on ? html` selected` : html``);

/** A checkbox with its label; absent from a posted form means off. */
export const checkbox = (name: string, label: string, on: boolean, value = 'on', testid?: string): Html =>
  html`<label
    ><input
      type="checkbox"
      name="${name}"
      value="${value}"
      ${checked(on)}${testid ? html` data-testid="${testid}"` : ''}
    />
    ${label}</label
  >`;

/** Lines of a textarea, trimmed, without the empty ones. */
export const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A whole number from a form field: '' is null, anything else not a safe integer is NaN (refused by the use case). */
export function wholeNumber(v: string | undefined): number | null {
  const t = (v ?? '').trim();
  if (t === '') return null;
  return /^\d{1,16}$/.test(t) ? Number(t) : Number.NaN;
}
