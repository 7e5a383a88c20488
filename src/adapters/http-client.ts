// The HttpClient port over the global fetch: the one client for connectors, webhooks and the fiscal service.
import { ProviderUnreachable, type HttpClient, type HttpRequest, type HttpResponse } from '../ports/http-client.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * An HttpClient over the global fetch. Every HTTP answer, whatever its status, comes back as a
 * value with lower-cased headers and the body as text; redirects are returned, not followed
 * (a provider API that redirects is answering something unexpected). Only a failure to get an
 * answer at all throws, as ProviderUnreachable. The timeout covers the whole exchange, body
 * included.
 */
export function createHttpClient(opts: { defaultTimeoutMs?: number } = {}): HttpClient {
  const defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const target = describe(req.method, req.url);
      const timeoutMs = req.timeoutMs ?? defaultTimeoutMs;
      try {
        const res = await fetch(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const headers: Record<string, string> = {};
        // Headers iterates names in lower case and repeats set-cookie; join repeats as HTTP does.
        for (const [name, value] of res.headers) {
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        return { status: res.status, headers, body: new TextDecoder().decode(bytes), bytes };
      } catch (err) {
        throw toUnreachable(err, target, timeoutMs);
      }
    },
  };
}

function describe(method: string, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // A bad URL is a bug or bad settings, not an unreachable provider; still, never echo it.
    throw new TypeError(`${method}: the provider URL is not a valid URL`);
  }
  // Origin only: paths carry signatures too (cancelorder/…/[Hash]).
  return `${method} ${u.origin}`;
}

function toUnreachable(err: unknown, target: string, timeoutMs: number): ProviderUnreachable {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderUnreachable('timeout', `${target}: no answer within ${timeoutMs} ms`);
  }
  const code = systemCode(err);
  return new ProviderUnreachable('network', `${target}: ${code ? `network error (${code})` : 'network error'}`, code);
}

function systemCode(err: unknown): string | undefined {
  // undici wraps the socket error as `cause`, sometimes one level deeper.
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
