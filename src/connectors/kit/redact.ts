// A raw callback as the callback log may keep it: credentials dropped, the connector's secret
// fields (signatures, tokens) replaced in the query, a JSON or form body, and, for a body that
// would not parse, a best-effort scrub. Never throws.
import type { RawRequest, RedactedRequest } from '../../ports/connector.js';
import { bodyKind } from './fields.js';

export interface RedactionSpec {
  /** Field names whose values are secret, compared without regard to case (acquiring-v1: hash). */
  secretNames: readonly string[];
  /** A body up to this size is parsed and redacted field by field; a larger one is scrubbed. */
  bodyMax: number;
  /** How much of a body that cannot be parsed is kept. */
  textMax?: number;
  /** Signatures that may sit anywhere in unparsed text (default: 32 hex digits, an md5). */
  signature?: RegExp;
}

const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
export const REDACTED = '***';

export function redactRequest(req: RawRequest, spec: RedactionSpec): RedactedRequest {
  try {
    const secret = new Set(spec.secretNames.map((n) => n.toLowerCase()));
    return {
      method: String(req.method),
      headers: redactHeaders(req.headers),
      query: redactUrlEncoded(String(req.rawQuery ?? ''), secret),
      body: redactBody(req, secret, spec),
    };
  } catch {
    return { method: '', headers: {}, query: '', body: '' };
  }
}

function redactHeaders(headers: RawRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (DROPPED_HEADERS.has(key) || value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return out;
}

/** Replaces the value of every secret field in a urlencoded text, keeping the rest exactly as sent. */
function redactUrlEncoded(text: string, secret: Set<string>): string {
  return text
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawKey = eq === -1 ? part : part.slice(0, eq);
      // Decode the key as the parser does (URLSearchParams), so "h%61sh" is caught too.
      const key = [...new URLSearchParams(`${rawKey}=`).keys()][0] ?? '';
      return secret.has(key.trim().toLowerCase()) ? `${rawKey}=${REDACTED}` : part;
    })
    .join('&');
}

function redactBody(req: RawRequest, secret: Set<string>, spec: RedactionSpec): string {
  const body = req.body;
  if (!(body instanceof Uint8Array) || body.length === 0) return '';
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body.length <= spec.bodyMax) {
    if (bodyKind(req.headers, text) === 'json') {
      try {
        return JSON.stringify(redactJson(JSON.parse(text), secret));
      } catch {
        // Not JSON after all: kept below as a scrubbed excerpt.
      }
    } else {
      return redactUrlEncoded(text, secret);
    }
  }
  return scrubText(text.slice(0, spec.textMax ?? 2048), secret, spec.signature ?? /[0-9a-f]{32}/gi);
}

function redactJson(v: unknown, secret: Set<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => redactJson(x, secret));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    out[k] = secret.has(k.toLowerCase()) ? REDACTED : redactJson(value, secret);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Best effort for text that would not parse: anything that looks like a secret field or a signature. */
function scrubText(text: string, secret: Set<string>, signature: RegExp): string {
  let out = text;
  for (const name of secret) {
    const n = escapeRegExp(name);
    out = out
      .replace(new RegExp(`("${n}"\\s*:\\s*")[^"]*"?`, 'gi'), `$1${REDACTED}"`)
      .replace(new RegExp(`(${n}=)[^&\\s]*`, 'gi'), `$1${REDACTED}`);
  }
  return out.replace(signature, REDACTED);
}
