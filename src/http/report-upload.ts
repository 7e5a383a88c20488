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
 * A report upload, shared by the API and the admin page: the multipart fields payment_method_id
 * and date and one file. The file streams to a temporary file (the import reads it in batches
 * and hashes it), is imported, and is removed whatever happened.
 */
export async function importReportUpload(deps: AppDeps, parts: AsyncIterable<Multipart>, opts: { actor: Actor; via: RunVia }): Promise<Result<Imported>> {
  const fields: Record<string, string> = {};
  const path = join(tmpdir(), `settle-report-${randomUUID()}.csv`);
  let fileName: string | undefined;
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        fileName = part.filename || 'report.csv';
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) return fail('report_too_large', `A report may be at most ${MAX_REPORT_BYTES} bytes.`);
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    if (!fileName) return fail('invalid_request', 'Send the report as the multipart field "file".');
    if (!fields.payment_method_id || !fields.date) return fail('invalid_request', 'Send the fields payment_method_id and date (YYYY-MM-DD) with the file.');
    const source = await reportSourceFromFile(path, fileName.slice(0, 200));
    return await importReport(deps, { paymentMethodId: fields.payment_method_id, date: fields.date, source, via: opts.via }, opts.actor);
  } finally {
    await rm(path, { force: true });
  }
}
