// A measuring child of the reconciliation suite (started by runChild, never by hand):
//   mode "csv"  — the reference: stream the report through readReportBatches (csv-parse and
//                 reading each record into a ReportLine, as the import does) and count its lines;
//   mode "hash" — reportSourceFromFile, the SHA-256 pass every import makes before it starts.
import { createReadStream } from 'node:fs';
import { reportSourceFromFile } from '../../src/adapters/report-file.js';
import { readReportBatches } from '../../src/adapters/report-stream.js';
import { DEFAULT_CSV_MAPPING } from '../../src/domain/report.js';
import { childInput, writeChildResult } from '../support/child.js';
import { measure, type Measurement } from '../support/measure.js';

export interface ReadInput {
  mode: 'csv' | 'hash';
  path: string;
  batchSize: number;
}

export interface ReadResult {
  lines: number;
  unreadable: number;
  batches: number;
  m: Measurement;
}

const input = childInput<ReadInput>();

if (input.mode === 'csv') {
  const { value, m } = await measure(async (probe) => {
    let lines = 0;
    let unreadable = 0;
    let batches = 0;
    // The same stream reportSourceFromFile opens for an import.
    for await (const batch of readReportBatches(
      createReadStream(input.path, { highWaterMark: 256 * 1024 }),
      DEFAULT_CSV_MAPPING,
      input.batchSize,
    )) {
      probe();
      lines += batch.lines.length;
      unreadable += batch.errors.length;
      batches += 1;
    }
    return { lines, unreadable, batches };
  });
  writeChildResult({ ...value, m } satisfies ReadResult);
} else {
  const { m } = await measure(() => reportSourceFromFile(input.path));
  writeChildResult({ lines: 0, unreadable: 0, batches: 0, m } satisfies ReadResult);
}
