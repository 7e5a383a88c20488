import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Multipart } from '@fastify/multipart';
import { reportSourceFromFile } from '../adapters/report-file.js';
import type { AppDeps } from '../app/deps.js';
import { importReport, type Imported } from '../app/reconcile.js';
import type { RunVia } from '../domain/reconciliation-run.js';
import { fail, type Result } from '../domain/result.js';
import type { Actor } from '../domain/timeline.js';

/** A million-line report is some 100 MB; anything far above that is not a daily report. */
export const MAX_REPORT_BYTES = 1024 * 1024 * 1024;

/** The @fastify/multipart limits of a report upload (the fields, one file). */
export const REPORT_UPLOAD_LIMITS = { files: 1, fields: 5, fileSize: MAX_REPORT_BYTES, fieldSize: 1024 };

/**
 * What busboy says (plain Errors, no codes) about a multipart request that is not well formed: a
 * content type without its boundary or of a subtype it does not read, a body cut off before its
 * closing boundary, a broken part header. That is the sender's mistake (400), not a bug. Busboy
 * starts when the first part is asked for, so it is checked where the parts are read.
 */
export function isMalformedMultipart(e: unknown): boolean {
  return (
    e instanceof Error &&
    /^(Multipart: Boundary not found|Unsupported Content-Type|Part terminated early|Unexpected end of (multipart data|form)|Malformed part header)/.test(
      e.message,
    )
  );
}

const cutOff = (file: { destroyed: boolean; readableEnded: boolean }) => file.destroyed && !file.readableEnded;

export const malformedMultipart = () =>
  fail('invalid_request', 'The multipart body could not be read: send multipart/form-data with its boundary, whole.');

/**
 * A report upload, shared by the API and the admin page: the multipart fields payment_method_id
 * and date and one file. The file streams to a temporary file (the import reads it in batches
 * and hashes it), is imported, and is removed whatever happened.
 */
export async function importReportUpload(
  deps: AppDeps,
  parts: AsyncIterable<Multipart>,
  opts: { actor: Actor; via: RunVia },
): Promise<Result<Imported>> {
  const fields: Record<string, string> = {};
  const path = join(tmpdir(), `settle-report-${randomUUID()}.csv`);
  let file: (Multipart & { type: 'file' })['file'] | undefined;
  let fileName: string | undefined;
  let writing: Promise<void> | undefined;
  try {
    // The file is written while the parts go on being read, not before: a body cut off inside
    // the file part is reported by busboy on the parts (the loop throws), and its file stream
    // would otherwise never end, leaving the request without an answer.
    for await (const part of parts) {
      if (part.type === 'file') {
        if (writing) return fail('invalid_request', 'Send one report file.');
        fileName = part.filename || 'report.csv';
        file = part.file;
        // A part busboy gave up on (the body ended inside it) may come already destroyed, without
        // an error; piping it would wait for an end that never comes.
        if (cutOff(file)) return malformedMultipart();
        writing = pipeline(part.file, createWriteStream(path));
        writing.catch(() => undefined); // awaited below; this only keeps it from being unhandled
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    if (!writing || !file || !fileName)
      return fail('invalid_request', 'Send the report as the multipart field "file".');
    if (cutOff(file)) return malformedMultipart();
    await writing;
    if (file.truncated) return fail('report_too_large', `A report may be at most ${MAX_REPORT_BYTES} bytes.`);
    if (!fields.payment_method_id || !fields.date)
      return fail('invalid_request', 'Send the fields payment_method_id and date (YYYY-MM-DD) with the file.');
    const source = await reportSourceFromFile(path, fileName.slice(0, 200));
    return await importReport(
      deps,
      { paymentMethodId: fields.payment_method_id, date: fields.date, source, via: opts.via },
      opts.actor,
    );
  } catch (e) {
    if (isMalformedMultipart(e) || (file && cutOff(file))) return malformedMultipart();
    throw e;
  } finally {
    file?.destroy();
    await writing?.catch(() => undefined);
    await rm(path, { force: true });
  }
}
