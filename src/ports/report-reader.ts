import type { CsvMapping, ReportLine } from '../domain/report.js';

export interface ReportBatch {
  lines: ReportLine[];
  /** Lines that could not be read, with a message naming the line and column. */
  errors: { lineNo: number; message: string }[];
}

/** A provider's report as bytes: its name, its SHA-256 (a re-import is recognised by it) and a fresh read each time. */
export interface ReportSource {
  name: string;
  hash: string;
  open(): AsyncIterable<Uint8Array>;
}

/**
 * Reads a CSV report in batches, holding one batch at a time, so memory does not grow with the
 * file. Rejects when the file as a whole cannot be read (no header, a mapped column missing,
 * malformed CSV).
 */
export interface CsvReportReader {
  read(input: AsyncIterable<Uint8Array>, mapping: CsvMapping, batchSize: number): AsyncIterable<ReportBatch>;
}
