// CSV for Swedish Excel: UTF-8 with a BOM (so Excel reads å, ä, ö right), ';' between fields
// by default (Swedish Excel expects it: ',' is the decimal comma), ',' on request; instants as
// ISO 8601 local date-times of the unit ('2026-03-29T09:00').
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { columnsFor } from './columns.ts';
import { localClock } from './local-clock.ts';
import type { ExportQuery, PatientTally } from './query.ts';
import { endStream, writeChunk } from './stream.ts';

export type CsvSeparator = 'semicolon' | 'comma';

export async function writeCsv(
  query: ExportQuery,
  out: Writable,
  tally: PatientTally,
  options: { separator?: CsvSeparator | undefined } = {},
): Promise<void> {
  const delimiter = options.separator === 'comma' ? ',' : ';';
  const columns = columnsFor(query.scope);
  const clock = localClock(query.scope.timeZone);
  await writeChunk(out, stringify([columns.map((c) => c.header)], { delimiter, bom: true, record_delimiter: 'windows' }));
  for (const page of query.pages(tally)) {
    const records = page.map((row) =>
      columns.map((c) => {
        if (c.kind === 'text') return c.value(row);
        const at = c.value(row);
        return at === null ? '' : clock.isoLocal(at);
      }),
    );
    await writeChunk(out, stringify(records, { delimiter, record_delimiter: 'windows' }));
  }
  await endStream(out);
}
