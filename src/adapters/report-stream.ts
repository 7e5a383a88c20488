import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { CSV_FIELDS, readReportRecord, type CsvField, type CsvMapping } from '../domain/report.js';

import type { ReportBatch } from '../ports/report-reader.js';

export type { ReportBatch };

/** The report as a whole cannot be read: no header, a mapped column missing, or malformed CSV. */
export class ReportReadError extends Error {
  constructor(
    message: string,
    /** The file's line, when the problem has one. */
    readonly lineNo: number | null,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ReportReadError';
  }
}

const LINE_BREAKS = /\r\n|\r|\n/g;

/**
 * Reads a provider's CSV report in batches of at most `batchSize` lines (read and unreadable
 * together), holding no more than one batch and the parser's buffer in memory. Header cells are
 * matched to the mapping without regard to case; the header is checked before any batch is
 * given. A line that cannot be read goes to `errors`; a file that cannot be read rejects with a
 * ReportReadError. Line numbers are the file's (the header is line 1; a quoted value spanning
 * lines counts from where its record starts). Breaking out of the loop closes `input`.
 */
export async function* readReportBatches(
  input: NodeJS.ReadableStream | Readable | AsyncIterable<Uint8Array>,
  mapping: CsvMapping,
  batchSize = 1000,
): AsyncGenerator<ReportBatch> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  let headerSeen = false;
  let parser: ReturnType<typeof parse>;
  try {
    parser = parse({
      columns: (header: string[]) => {
        headerSeen = true;
        return headerFor(header, mapping, parser.info.lines);
      },
      bom: true,
      delimiter: mapping.delimiter ?? ',',
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
      info: true,
    });
  } catch (err) {
    (input as Partial<Readable>).destroy?.();
    throw new ReportReadError(
      `The report mapping cannot be used: ${err instanceof Error ? err.message : String(err)}`,
      null,
      { cause: err },
    );
  }
  // pipeline, not pipe: an error on either side destroys both, so the loop below rejects.
  pipeline(input, parser, () => {});

  let batch: ReportBatch = { lines: [], errors: [] };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const lineNo = info.lines - lineBreaksIn(record);
      const r = readReportRecord(record, mapping, lineNo);
      if (r.ok) batch.lines.push(r.value);
      else batch.errors.push({ lineNo, message: r.error.message });
      if (batch.lines.length + batch.errors.length >= batchSize) {
        yield batch;
        batch = { lines: [], errors: [] };
      }
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const lineNo = typeof err.lines === 'number' ? err.lines : null;
      throw new ReportReadError(
        `The report is not valid CSV${lineNo === null ? '' : ` at line ${lineNo}`}: ${err.message}`,
        lineNo,
        { cause: err },
      );
    }
    throw err;
  }
  if (!headerSeen) throw new ReportReadError('The report is empty: it has no header line.', null);
  if (batch.lines.length + batch.errors.length > 0) yield batch;
}

/** csv-parse gives the line a record ends on; a record starts as many lines earlier as its values hold line breaks. */
function lineBreaksIn(record: Record<string, string>): number {
  let n = 0;
  for (const v of Object.values(record)) {
    if (v.includes('\n') || v.includes('\r')) n += v.match(LINE_BREAKS)?.length ?? 0;
  }
  return n;
}

/** Renames the header cells the mapping names to the mapping's spelling, so records are keyed as readReportRecord expects. */
function headerFor(header: string[], mapping: CsvMapping, lineNo: number): string[] {
  const out = [...header];
  const problems: string[] = [];
  for (const field of CSV_FIELDS) {
    const name = mapping.columns[field as CsvField];
    if (name === undefined) continue;
    const at = header.flatMap((cell, i) => (cell.trim().toLowerCase() === name.trim().toLowerCase() ? [i] : []));
    if (at.length === 0) problems.push(`no column "${name}" (${field})`);
    else if (at.length > 1) problems.push(`column "${name}" (${field}) ${at.length} times`);
    else out[at[0]!] = name;
  }
  if (problems.length > 0) {
    const found = header.map((c) => JSON.stringify(c)).join(', ');
    throw new ReportReadError(
      `The report's header (line ${lineNo}) has ${problems.join('; ')}. Its columns are: ${found.slice(0, 500)}.`,
      lineNo,
    );
  }
  return out;
}
