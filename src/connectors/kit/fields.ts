// Reading a callback's fields from a raw request: a JSON body, a urlencoded form body or, when the
// body is empty, the query string. Limits on size, field length and repeats; never throws.
import { fail, ok, type Result } from '../../domain/result.js';
import type { RawRequest } from '../../ports/connector.js';

/** Which fields a callback carries and the limits they are read under. */
export interface FieldSpec<R extends string, O extends string = never> {
  required: readonly R[];
  /** Read when present; a present one must still be a short string. */
  optional?: readonly O[];
  /** Largest body (and query string) accepted, in bytes. */
  bodyMax: number;
  /** Longest field value, in characters. */
  fieldMax: number;
}

export type Fields<R extends string, O extends string = never> = Record<R, string> & Partial<Record<O, string>>;

const malformed = (message: string) => fail('callback_malformed', message);

/** The body's media type, lower case, without parameters. */
export function contentType(headers: RawRequest['headers']): string {
  const v = headers?.['content-type'];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? (first.split(';')[0] ?? '').trim().toLowerCase() : '';
}

export type BodyKind = 'json' | 'form';

/** JSON or a form, by the media type, or by the text itself when the type says neither. */
export function bodyKind(headers: RawRequest['headers'], text: string): BodyKind {
  const type = contentType(headers);
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return text.trimStart().startsWith('{') ? 'json' : 'form';
}

/**
 * The fields, from a JSON body, a urlencoded form body, or (when the body is empty) the query
 * string. Only these forms; a field given twice in a form is ambiguous and refused.
 */
export function readFields<R extends string, O extends string = never>(
  req: RawRequest,
  spec: FieldSpec<R, O>,
): Result<Fields<R, O>> {
  try {
    const body = req.body;
    if (!(body instanceof Uint8Array)) return malformed('The callback has no readable body.');
    if (body.length > spec.bodyMax) return malformed(`The callback body is larger than ${spec.bodyMax} bytes.`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return malformed('The callback body is not UTF-8 text.');
    }
    if (text.trim() === '') {
      const query = typeof req.rawQuery === 'string' ? req.rawQuery : '';
      if (query.length > spec.bodyMax) return malformed('The callback query string is too long.');
      return readUrlEncoded(query, 'query string', spec);
    }
    return bodyKind(req.headers, text) === 'json' ? readJson(text, spec) : readUrlEncoded(text, 'form body', spec);
  } catch {
    // Nothing above should throw; this keeps the promise for inputs no one foresaw.
    return malformed('The callback could not be read.');
  }
}

function readJson<R extends string, O extends string>(text: string, spec: FieldSpec<R, O>): Result<Fields<R, O>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return malformed('The callback body is not valid JSON.');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return malformed('The callback body is not a JSON object.');
  const obj = v as Record<string, unknown>;
  const own = (f: string) => (Object.prototype.hasOwnProperty.call(obj, f) ? obj[f] : undefined);
  const out: Record<string, string> = {};
  for (const f of spec.required) {
    const value = own(f);
    if (typeof value !== 'string') return malformed(`The callback field ${f} is missing or not a string.`);
    const checked = checkField(f, value, spec.fieldMax);
    if (checked) return checked;
    out[f] = value;
  }
  for (const f of spec.optional ?? []) {
    const value = own(f);
    if (value === undefined) continue;
    if (typeof value !== 'string' || checkField(f, value, spec.fieldMax))
      return malformed(`The callback field ${f} is not a short string.`);
    out[f] = value;
  }
  return ok(out as Fields<R, O>);
}

function readUrlEncoded<R extends string, O extends string>(
  text: string,
  where: string,
  spec: FieldSpec<R, O>,
): Result<Fields<R, O>> {
  const params = new URLSearchParams(text);
  const out: Record<string, string> = {};
  for (const f of spec.required) {
    const values = params.getAll(f);
    if (values.length !== 1) {
      return malformed(
        values.length === 0 ? `The callback ${where} has no ${f}.` : `The callback ${where} has ${f} more than once.`,
      );
    }
    const value = values[0] as string;
    const checked = checkField(f, value, spec.fieldMax);
    if (checked) return checked;
    out[f] = value;
  }
  for (const f of spec.optional ?? []) {
    const values = params.getAll(f);
    if (values.length === 0) continue;
    if (values.length > 1 || checkField(f, values[0] as string, spec.fieldMax))
      return malformed(`The callback ${where} has a bad ${f}.`);
    out[f] = values[0] as string;
  }
  return ok(out as Fields<R, O>);
}

function checkField(f: string, value: string, max: number) {
  if (value.length === 0) return malformed(`The callback field ${f} is empty.`);
  if (value.length > max) return malformed(`The callback field ${f} is longer than ${max} characters.`);
  return undefined;
}
