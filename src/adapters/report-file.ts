import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { CsvReportReader, ReportSource } from '../ports/report-reader.js';
import { readReportBatches } from './report-stream.js';

/** A report file on disk, hashed once by streaming it (a re-import of the same bytes is recognised). */
export async function reportSourceFromFile(path: string, name = basename(path)): Promise<ReportSource> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { name, hash: hash.digest('hex'), open: () => createReadStream(path, { highWaterMark: 256 * 1024 }) };
}

export const csvReportReader: CsvReportReader = {
  read: (input, mapping, batchSize) => readReportBatches(input, mapping, batchSize),
};
