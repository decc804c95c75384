// XLSX with exceljs' streaming WorkbookWriter: rows are committed as they are read, so a year of
// bookings never sits in memory as a workbook. Dates are typed date cells (the unit's wall clock:
// Excel has no time zones), the header row is bold and frozen, column widths are set, and there
// is one sheet per resource or one combined sheet.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnsFor, type Column } from './columns.ts';
import { localClock, type LocalClock } from './local-clock.ts';
import type { ExportQuery, ExportRow, PatientTally } from './query.ts';

export type SheetLayout = 'combined' | 'perResource';

const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** Excel's rules: at most 31 characters, none of []:*?/\ and unique in the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 31) || 'Blad';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * exceljs does not pass back-pressure from its zip to the rows: committed rows pile up as XML in
 * the sheet's zip entry (60 MB for 100k rows) while the rows are written synchronously, and the
 * compressor takes one 64 kB chunk per turn of the event loop. So the rows are committed in
 * small runs with a turn in between, and while the entry still holds more than BACKLOG_LIMIT
 * bytes, more turns are given. The entry's buffer is read through internals of exceljs'
 * StreamBuf and the stream under archiver; if they change, only the small runs remain.
 */
const ROWS_PER_TURN = 32;
const BACKLOG_LIMIT = 4 * 1024 * 1024;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface SheetInternals {
  stream?: { pipes?: { _writableState?: { length?: number } }[] };
}
function zipBacklog(sheet: ExcelJS.Worksheet): number {
  return (sheet as unknown as SheetInternals).stream?.pipes?.[0]?._writableState?.length ?? 0;
}

function cellValues(row: ExportRow, columns: Column[], clock: LocalClock): (string | Date | null)[] {
  return columns.map((c) => {
    if (c.kind === 'text') return c.value(row);
    const at = c.value(row);
    if (at === null) return null;
    // A date cell for reading and sorting by eye; the instant with its offset as text, since a
    // cell has no time zone and 02:20 in the doubled autumn hour would otherwise read the same twice.
    return c.kind === 'datetime' ? clock.wallDate(at) : clock.isoOffset(at);
  });
}

export async function writeXlsx(
  query: ExportQuery,
  out: Writable,
  tally: PatientTally,
  options: { layout?: SheetLayout | undefined; createdAt?: Date; unitName?: string } = {},
): Promise<void> {
  const columns = columnsFor(query.scope);
  const clock = localClock(query.scope.timeZone);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // Fastest deflate: a third larger file than the default level for clearly less CPU.
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = 'Tidbok';
  workbook.title = options.unitName ? `Tidbok – ${options.unitName}` : 'Tidbok';
  if (options.createdAt) workbook.created = options.createdAt;

  const taken = new Set<string>();
  const addSheet = (name: string) => {
    const sheet = workbook.addWorksheet(sheetName(name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({
      key: c.key,
      width: c.width,
      ...(c.kind === 'datetime' ? { style: { numFmt: DATE_TIME_FORMAT } } : {}),
    }));
    const header = sheet.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    return sheet;
  };

  // exceljs gives every new cell a fresh copy of its column's style and then looks the copy up
  // by its XML text: that lookup was half of a 100k-row export. A cell that carries one shared
  // style object per column is found by identity instead (exceljs keeps a WeakMap of them).
  const cellStyles = columns.map((c): Partial<ExcelJS.Style> => (c.kind === 'datetime' ? { numFmt: DATE_TIME_FORMAT } : {}));
  const shareStyle = (cell: ExcelJS.Cell, col: number) => {
    cell.style = cellStyles[col - 1]!;
  };
  const fill = async (sheet: ExcelJS.Worksheet, pages: Iterable<ExportRow[]>) => {
    for (const page of pages) {
      for (let i = 0; i < page.length; i++) {
        const added = sheet.addRow(cellValues(page[i]!, columns, clock));
        added.eachCell(shareStyle);
        added.commit();
        if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) {
          do await turn();
          while (zipBacklog(sheet) > BACKLOG_LIMIT);
        }
      }
    }
    sheet.commit();
  };

  if (options.layout === 'perResource') {
    for (const resource of query.resources()) {
      await fill(addSheet(resource.name), query.pages(tally, { resourceId: resource.id }));
    }
  } else {
    await fill(addSheet('Tider'), query.pages(tally));
  }
  await workbook.commit();
}
