import type { Harness } from './harness.js';
import { noteSecret } from './test-logs.js';
import { createUser } from '../../src/app/users.js';
import type { Role } from '../../src/domain/roles.js';

let n = 0;

/** Creates a user of `role` with a known password. */
export async function makeUser(h: Harness, role: Role): Promise<{ email: string; password: string }> {
  const email = `${role}-${process.pid}-${++n}@example.test`;
  const password = `pw-${role}-long-enough-${n}`;
  const r = await createUser(h.deps, { email, role, password });
  if (!r.ok) throw new Error(r.error.message);
  noteSecret(password);
  return { email, password };
}

export interface PageAnswer {
  status: number;
  html: string;
  location: string | null;
  /** The answer's X-Request-Id. */
  requestId: string | null;
}

/**
 * The admin pages over real HTTP, as a browser without script would use them: it keeps the
 * cookies, and each form post carries the CSRF token of the last page it read (unless told
 * otherwise), so tests read like a person clicking through.
 */
export class AdminClient {
  private cookies = new Map<string, string>();
  /** The CSRF token of the last page read. */
  csrf = '';

  constructor(readonly baseUrl: string) {}

  static async signedIn(h: Harness, role: Role): Promise<AdminClient & { email: string }> {
    const u = await makeUser(h, role);
    const c = new AdminClient(h.url);
    const r = await c.signIn(u.email, u.password);
    if (r.status !== 303) throw new Error(`sign-in: ${r.status} ${r.html.slice(0, 300)}`);
    return Object.assign(c, { email: u.email });
  }

  async signIn(email: string, password: string): Promise<PageAnswer> {
    await this.get('/admin/sign-in');
    return this.post('/admin/sign-in', { email, password });
  }

  async get(path: string): Promise<PageAnswer> {
    return this.request('GET', path);
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields give one (or null: none). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { csrf?: string | null } = {},
  ): Promise<PageAnswer> {
    const form = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) form.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    return this.request('POST', path, form.toString(), 'application/x-www-form-urlencoded');
  }

  /** Posts a multipart form (a file upload) with the CSRF field first. */
  async postMultipart(path: string, form: FormData, opts: { csrf?: string | null } = {}): Promise<PageAnswer> {
    const withToken = new FormData();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) withToken.append('_csrf', token);
    for (const [k, v] of form.entries()) withToken.append(k, v);
    return this.request('POST', path, withToken);
  }

  private async request(
    method: string,
    path: string,
    body?: string | FormData,
    contentType?: string,
  ): Promise<PageAnswer> {
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...rest] = pair!.split('=');
      const v = rest.join('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c) || v === '') this.cookies.delete(k!.trim());
      else {
        this.cookies.set(k!.trim(), v);
        noteSecret(v); // session and CSRF cookies: the suite's log scan looks for them
      }
    }
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m?.[1]) this.csrf = m[1];
    return {
      status: res.status,
      html,
      location: res.headers.get('location'),
      requestId: res.headers.get('x-request-id'),
    };
  }
}
