/**
 * The API's page cursors: the last row a page showed, as (time, id), base64url of a JSON pair.
 * Lists newest first ask for rows strictly before it, so pages never skip or repeat. Not a
 * secret and not signed: a cursor only says where to start, and one this API could not have
 * given out (not the exact encoding of a pair, or a time that is not one Settle writes) is refused.
 */
export interface Keyset {
  at: string;
  id: string;
}

// Settle stores times as ISO 8601 instants (Date#toISOString); a cursor naming anything else was altered.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.at, k.id])).toString('base64url');
}

/** The keyset a cursor names, or undefined when it is not one this API gave out. */
export function decodeCursor(cursor: string): Keyset | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const k = { at: v[0], id: v[1] };
      // Decoding base64 skips stray characters; only the exact text encodeCursor writes is one.
      const canonical = encodeCursor(k) === cursor;
      if (canonical && INSTANT.test(k.at) && !Number.isNaN(Date.parse(k.at)) && k.id.length > 0 && k.id.length <= 100)
        return k;
    }
  } catch {
    // fall through
  }
  return undefined;
}
