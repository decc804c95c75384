// The CSV writer quotes fields itself (csv-stringify's per-field machinery was half of a
// 100k-row export): every record must read back unchanged with csv-parse, and a field is quoted
// only when it must be, exactly as csv-stringify does when told to quote line breaks (with a
// CRLF record delimiter it otherwise leaves a lone LF or CR in a note unquoted, and Excel and
// csv-parse then read a new record there: the writer before this one had that bug).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { csvRecord } from '../../../src-main/export/csv.ts';
import { CHANNEL_SV, MODE_SV, STATUS_SV, columnsFor } from '../../../src-main/export/columns.ts';

// Text with the characters that matter to CSV, often.
const field = fc.stringMatching(/^[a-zåäö ;,"\r\n\t'=]{0,12}$/);

describe('csvRecord', () => {
  for (const delimiter of [';', ',']) {
    it(`reads back with csv-parse and matches csv-stringify (separator ${delimiter})`, () => {
      fc.assert(
        fc.property(fc.array(field, { minLength: 2, maxLength: 6 }), (fields) => {
          const line = csvRecord(fields, delimiter);
          expect(parse(line, { delimiter })).toEqual([fields]);
          expect(line).toBe(stringify([fields], { delimiter, record_delimiter: 'windows', quote_record_delimiter: true }));
        }),
        { numRuns: 400 },
      );
    });
  }

  it('quotes a field with the separator, a quote or a line break, and nothing else', () => {
    expect(csvRecord(['Tolk; arabiska', 'a,b', 'säger "hej"', 'rad\nny', 'rad\rny', 'vanlig'], ';')).toBe(
      '"Tolk; arabiska";a,b;"säger ""hej""";"rad\nny";"rad\rny";vanlig\r\n',
    );
  });
});

describe('plain columns', () => {
  it('are ids and our own labels, which never need quoting', () => {
    const plain = columnsFor({ content: 'both', patientData: 'full' })
      .filter((c) => c.kind === 'text' && c.plain)
      .map((c) => c.key);
    expect(plain.sort()).toEqual(['bookingId', 'channel', 'contactMode', 'slotId', 'slotStatus', 'status', 'web'].sort());
    const labels = [
      ...Object.values(STATUS_SV),
      ...Object.values(CHANNEL_SV),
      ...Object.values(MODE_SV),
      'Ja',
      'Nej',
      'Ledig',
      'Spärrad',
    ];
    for (const label of labels) expect(label).not.toMatch(/[;,"\r\n]/);
  });
});
