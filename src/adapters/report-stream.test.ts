import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_CSV_MAPPING, type CsvMapping } from '../domain/report.js';
import { readReportBatches, ReportReadError, type ReportBatch } from './report-stream.js';

const HEADER = 'provider_ref,order_reference,type,amount,currency,status,time,fee';

async function readAll(
  input: Readable,
  mapping: CsvMapping = DEFAULT_CSV_MAPPING,
  batchSize?: number,
): Promise<ReportBatch[]> {
  const out: ReportBatch[] = [];
  for await (const b of readReportBatches(input, mapping, batchSize)) out.push(b);
  return out;
}

/** Rejects with the error, or fails when the stream was read without one. */
async function readError(
  input: Readable,
  mapping: CsvMapping = DEFAULT_CSV_MAPPING,
): Promise<{ error: unknown; batches: number }> {
  let batches = 0;
  try {
    for await (const _ of readReportBatches(input, mapping, 1)) batches += 1;
  } catch (error) {
    return { error, batches };
  }
  assert.fail('expected the report to be refused');
}

test('lines are read in batches with the line numbers of the file', async () => {
  const text = [
    HEADER,
    'PAY-1,R-1,sale,100.00,USD,succeeded,2026-11-23T10:00:00Z,0.30',
    '',
    'PAY-2,R-2,refund,-30.00,usd,ok,,',
    '"PAY-3","R-3\nsecond line",payment,5,JPY,pending,,',
    'PAY-4,R-4,sale,1.005,USD,succeeded,,',
    'PAY-5,R-5,gift,1.00,USD,succeeded,,',
  ].join('\r\n');
  const batches = await readAll(Readable.from([text]), DEFAULT_CSV_MAPPING, 2);
  assert.deepEqual(
    batches.map((b) => [b.lines.map((l) => `${l.lineNo}:${l.providerRef}:${l.amount}`), b.errors.map((e) => e.lineNo)]),
    [
      [['2:PAY-1:10000', '4:PAY-2:3000'], []],
      [['5:PAY-3:5'], [7]],
      [[], [8]],
    ],
  );
  assert.match(batches[1]!.errors[0]!.message, /^Line 7: amount in column "amount": "1.005" has more decimals/);
  assert.match(batches[2]!.errors[0]!.message, /^Line 8: type "gift" in column "type"/);
  assert.equal(batches[1]!.lines[0]!.orderReference, 'R-3\nsecond line');
});

test('chunks may split records, the BOM and characters; header cells match without regard to case', async () => {
  const mapping: CsvMapping = {
    columns: { provider_ref: 'Transaction', type: 'Kind', amount: 'Gross', currency: 'Cur', status: 'State' },
    delimiter: ';',
    decimal_separator: ',',
  };
  const bytes = Buffer.from(
    '\ufeffTRANSACTION ; kind;gross;cur;state;extra\nTX-é1;sale;"1 500,50";EUR;settled;x\nTX-2;dispute;-2,00;EUR;opened;y\n',
  );
  const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
  const [batch, ...rest] = await readAll(Readable.from(chunks), mapping);
  assert.equal(rest.length, 0);
  assert.deepEqual(batch!.errors, []);
  assert.deepEqual(
    batch!.lines.map((l) => [l.lineNo, l.providerRef, l.type, l.amount, l.currency, l.status]),
    [
      [2, 'TX-é1', 'sale', 150050, 'EUR', 'succeeded'],
      [3, 'TX-2', 'chargeback', 200, 'EUR', 'pending'],
    ],
  );
});

test('a header without a mapped column is refused before any batch', async () => {
  const mapping: CsvMapping = { columns: { ...DEFAULT_CSV_MAPPING.columns, amount: 'Gross' } };
  const { error, batches } = await readError(Readable.from([`${HEADER}\nPAY-1,R-1,sale,1.00,USD,ok,,\n`]), mapping);
  assert.equal(batches, 0);
  assert.ok(error instanceof ReportReadError);
  assert.equal(error.lineNo, 1);
  assert.match(
    error.message,
    /^The report's header \(line 1\) has no column "Gross" \(amount\)\. Its columns are: "provider_ref", "order_reference"/,
  );

  const twice = await readError(
    Readable.from(['provider_ref,type,TYPE,amount,currency,status,order_reference,time,fee\n']),
  );
  assert.match(String(twice.error), /column "type" \(type\) 2 times/);
});

test('malformed CSV rejects with its line', async () => {
  const wrongWidth = await readError(
    Readable.from([
      `${HEADER}\nPAY-1,R-1,sale,1.00,USD,ok,,\nPAY-2,R-2,sale,1.00,USD,ok\nPAY-3,R-3,sale,1.00,USD,ok,,\n`,
    ]),
  );
  assert.ok(wrongWidth.error instanceof ReportReadError);
  assert.equal(wrongWidth.error.lineNo, 3);
  assert.match(wrongWidth.error.message, /^The report is not valid CSV at line 3: /);

  const quote = await readError(Readable.from([`${HEADER}\nPAY-1,"R-1,sale,1.00,USD,ok,,\n`]));
  assert.match(String(quote.error), /not valid CSV at line 2: Quote Not Closed/);
});

test('an empty report, a header alone, and a mapping the parser cannot use', async () => {
  const empty = await readError(Readable.from(['\n\n']));
  assert.match(String(empty.error), /The report is empty/);
  assert.deepEqual(await readAll(Readable.from([`${HEADER}\n`])), []);
  const input = Readable.from([`${HEADER}\n`]);
  const bad = await readError(input, { ...DEFAULT_CSV_MAPPING, delimiter: '' });
  assert.match(String(bad.error), /The report mapping cannot be used/);
  assert.equal(input.destroyed, true);
  await assert.rejects(readAll(Readable.from([HEADER]), DEFAULT_CSV_MAPPING, 0), RangeError);
});

test('an input that fails rejects, and leaving the loop early closes the input', async () => {
  const failing = new Readable({ read() {} });
  failing.push(`${HEADER}\nPAY-1,R-1,sale,1.00,USD,ok,,\n`);
  setImmediate(() => failing.destroy(new Error('disk gone')));
  await assert.rejects(readAll(failing), /disk gone/);

  const input = Readable.from(
    (function* () {
      yield `${HEADER}\n`;
      for (let i = 0; ; i++) yield `PAY-${i},R-${i},sale,1.00,USD,ok,,\n`;
    })(),
  );
  for await (const b of readReportBatches(input, DEFAULT_CSV_MAPPING, 10)) {
    assert.equal(b.lines.length, 10);
    break;
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(input.destroyed, true);
});

test('a 200,000-line report is read in flat memory', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const dir = await mkdtemp(join(tmpdir(), 'settle-report-'));
  const file = join(dir, 'report.csv');
  const total = 200_000;
  try {
    await writeFile(
      file,
      (function* () {
        yield `${HEADER}\n`;
        for (let start = 0; start < total; start += 1000) {
          let chunk = '';
          for (let i = start; i < start + 1000; i++) {
            const currency = i % 1000 === 999 ? 'XXX' : 'USD';
            chunk += `PAY-${i.toString(16).padStart(24, '0')},ORDER-${i},${i % 10 === 0 ? 'refund' : 'sale'},${(i % 100_000) + 1}.${String(i % 100).padStart(2, '0')},${currency},settled,2026-11-23T10:00:00Z,0.30\n`;
          }
          yield chunk;
        }
      })(),
    );

    gc();
    const before = process.memoryUsage().heapUsed;
    let lines = 0;
    let errors = 0;
    let batches = 0;
    let lastLine = 0;
    let peakGrowth = 0;
    for await (const b of readReportBatches(createReadStream(file), DEFAULT_CSV_MAPPING)) {
      lines += b.lines.length;
      errors += b.errors.length;
      lastLine = Math.max(lastLine, b.lines.at(-1)?.lineNo ?? 0, b.errors.at(-1)?.lineNo ?? 0);
      if (++batches % 20 === 0) {
        gc();
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - before);
      }
    }
    gc();
    const growth = process.memoryUsage().heapUsed - before;

    assert.equal(lines, total - total / 1000);
    assert.equal(errors, total / 1000);
    assert.equal(batches, total / 1000);
    assert.equal(lastLine, total + 1);
    const MB = 1024 * 1024;
    // A reader that kept every line would hold about 50 MB here; one batch is well under 1 MB.
    assert.ok(peakGrowth < 32 * MB, `live heap grew by ${(peakGrowth / MB).toFixed(1)} MB while reading`);
    assert.ok(growth < 32 * MB, `heap grew by ${(growth / MB).toFixed(1)} MB after reading`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
