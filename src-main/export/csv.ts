// CSV for Swedish Excel: UTF-8 with a BOM (so Excel reads å, ä, ö right), ';' between fields
// by default (Swedish Excel expects it: ',' is the decimal comma), ',' on request; instants as
// ISO 8601 local date-times of the unit ('2026-03-29T09:00'), and last the same instants with
// their offset ('2026-03-29T09:00:00+02:00'), which alone tell the doubled autumn hour apart.
// Fields are quoted by RFC 4180 here rather than through csv-stringify: its per-field options
// machinery took half of a 100k-row export. The rule is csv-stringify's with line breaks quoted
// (which its CRLF mode does not do by default: a note with a line break then split its record);
// a unit test compares the two on arbitrary text and reads every record back with csv-parse.
import type { Writable } from 'node:stream';
import { columnsFor } from './columns.ts';
import { localClock } from './local-clock.ts';
import type { ExportQuery, PatientTally } from './query.ts';
import { endStream, writeChunk } from './stream.ts';

export type CsvSeparator = 'semicolon' | 'comma';

const BOM = '\uFEFF';
const RECORD_END = '\r\n';

/** One field: quoted (inner quotes doubled) when it holds the separator, a quote or a line break. */
export function csvField(value: string, delimiter: string): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One record with its CRLF ending. */
export function csvRecord(fields: readonly string[], delimiter: string): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : delimiter) + csvField(fields[i]!, delimiter);
  return line + RECORD_END;
}

export async function writeCsv(
  query: ExportQuery,
  out: Writable,
  tally: PatientTally,
  options: { separator?: CsvSeparator | undefined } = {},
): Promise<void> {
  const delimiter = options.separator === 'comma' ? ',' : ';';
  const columns = columnsFor(query.scope);
  const clock = localClock(query.scope.timeZone);
  const header =
    BOM +
    csvRecord(
      columns.map((c) => c.header),
      delimiter,
    );
  await writeChunk(out, header);
  // Each time column's last instant and its text: rows come in time order and the clinicians of a
  // unit share their slot times, so most starts and ends repeat the row before (~50 ms of CPU in
  // 100k rows).
  const lastAt = columns.map(() => NaN);
  const lastText = columns.map(() => '');
  for (const page of query.pages(tally)) {
    let text = '';
    for (const row of page) {
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        if (i > 0) text += delimiter;
        if (c.kind === 'text') text += c.plain ? c.value(row) : csvField(c.value(row), delimiter);
        else {
          // Local ISO date-times ('2026-03-29T09:00', with offset '...T09:00:00+02:00') never need quoting.
          const at = c.value(row);
          if (at === null) continue;
          if (at !== lastAt[i]) {
            lastAt[i] = at;
            lastText[i] = c.kind === 'datetime' ? clock.isoLocal(at) : clock.isoOffset(at);
          }
          text += lastText[i]!;
        }
      }
      text += RECORD_END;
    }
    await writeChunk(out, text);
  }
  await endStream(out);
}
