// Printable day lists with pdfkit: one list per clinician (resource) and day, A4 portrait, the
// times large and bold so they read at arm's length, then patient, identity number, type,
// contact mode and note. A protected identity shows as 'Skyddad identitet' with no number,
// contact details or note (DESIGN: privacy). Standard PDF fonts (Helvetica) carry å, ä, ö.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { sv } from 'date-fns/locale/sv'; // the one locale: the index loads all of them
import { MODE_SV, STATUS_SV } from './columns.ts';
import { localClock } from './local-clock.ts';
import { type ExportQuery, type ExportResource, type ExportRow, type PatientTally } from './query.ts';

const MARGIN = 42;
const COLS = { time: 88, patient: 178, visit: 120 } as const;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#b8b8b8';

export interface DayListOptions {
  unitName: string;
  printedAt: number;
  printedBy: string;
  /** Free and blocked slots as rows too (a receptionist sees the gaps). */
  includeFree?: boolean;
}

function longDate(date: string, tz: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const text = format(new TZDate(y, m - 1, d, 12, 0, 0, tz), 'EEEE d MMMM yyyy', { locale: sv });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export async function writeDayListPdf(
  query: ExportQuery,
  out: Writable,
  tally: PatientTally,
  options: DayListOptions,
): Promise<void> {
  const tz = query.scope.timeZone;
  const clock = localClock(tz);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    autoFirstPage: false,
    info: {
      Title: `Dagslista – ${options.unitName}`,
      Author: 'Tidbok',
      Creator: 'Tidbok',
      CreationDate: new Date(options.printedAt),
    },
  });
  doc.pipe(out);
  const finished = once(out, 'finish');

  const width = () => doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const x = {
    time: MARGIN,
    patient: MARGIN + COLS.time,
    visit: MARGIN + COLS.time + COLS.patient,
    note: MARGIN + COLS.time + COLS.patient + COLS.visit,
  };
  const noteWidth = () => width() - COLS.time - COLS.patient - COLS.visit;
  /**
   * Which pass of the autumn night's doubled hour a row lies on, in words, or null: 02:20 summer
   * time and 02:20 winter time are an hour apart and would otherwise print the same.
   */
  const passNote = (row: ExportRow): string | null => {
    const start = clock.doubledHourPass(row.startAt);
    const end = clock.doubledHourPass(row.endAt);
    if (!start && !end) return null;
    const name = (p: 'summer' | 'winter') => (p === 'summer' ? 'sommartid' : 'vintertid');
    if (start && end && start !== end) return `${name(start).slice(0, 6)}–${name(end)}`; // Helvetica's WinAnsi has no arrow
    return start ? name(start) : `slut ${name(end!)}`;
  };
  // A time ending at the next midnight (an evening until midnight) ends 24:00, not 00:00.
  const endTime = (row: ExportRow): string => {
    const time = clock.time(row.endAt);
    return time === '00:00' && clock.date(row.endAt) !== clock.date(row.startAt) ? '24:00' : time;
  };
  const printed = `Utskriven ${clock.date(options.printedAt)} ${clock.time(options.printedAt)} av ${options.printedBy}`;
  let pageNo = 0;

  /** Drawn into the bottom margin, which pdfkit would otherwise answer with a new page. */
  const footer = () => {
    const keepY = doc.y;
    const keepBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 6;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(`${printed}. Innehåller patientuppgifter: hanteras enligt sekretess.`, MARGIN, y, {
      width: width() - 60,
      lineBreak: false,
    });
    doc.text(`Sida ${pageNo}`, MARGIN + width() - 60, y, { width: 60, align: 'right', lineBreak: false });
    doc.page.margins.bottom = keepBottom;
    doc.y = keepY;
  };

  const startPage = (resource: ExportResource, date: string, summary: string, continued: boolean) => {
    doc.addPage();
    pageNo++;
    doc.fillColor(MUTED).font('Helvetica').fontSize(9).text(`${options.unitName} · Dagslista`, MARGIN, MARGIN);
    doc.moveDown(0.3);
    doc
      .fillColor(INK)
      .font('Helvetica-Bold')
      .fontSize(20)
      .text(resource.name + (continued ? ' (forts.)' : ''));
    if (resource.title) doc.font('Helvetica').fontSize(11).fillColor(MUTED).text(resource.title);
    doc.moveDown(0.2);
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(15).text(longDate(date, tz));
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(summary);
    doc.moveDown(0.6);
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor(MUTED);
    doc.text('TID', x.time, y, { width: COLS.time });
    doc.text('PATIENT', x.patient, y, { width: COLS.patient });
    doc.text('BESÖK', x.visit, y, { width: COLS.visit });
    doc.text('ANTECKNING', x.note, y, { width: noteWidth() });
    const lineY = y + 13;
    doc
      .moveTo(MARGIN, lineY)
      .lineTo(MARGIN + width(), lineY)
      .lineWidth(1)
      .strokeColor(INK)
      .stroke();
    doc.y = lineY + 6;
    footer();
  };

  /** Draws one row; returns false (drawing nothing) when it does not fit on the page. */
  const drawRow = (row: ExportRow): boolean => {
    const b = row.booking;
    const top = doc.y;
    const patientLines: { text: string; font: string; size: number; color: string }[] = [];
    const visitLines: { text: string; font: string; size: number; color: string }[] = [];
    let note = '';
    if (b) {
      const p = b.patient;
      if (p) {
        patientLines.push({ text: p.name, font: 'Helvetica-Bold', size: 12, color: INK });
        if (p.identityNumber) patientLines.push({ text: p.identityNumber, font: 'Helvetica', size: 11, color: INK });
        if (p.protectedIdentity)
          patientLines.push({ text: 'Uppgifter visas inte', font: 'Helvetica-Oblique', size: 9, color: MUTED });
      } else {
        patientLines.push({ text: 'Bokad', font: 'Helvetica-Bold', size: 12, color: INK });
      }
      visitLines.push({ text: b.typeName, font: 'Helvetica', size: 11, color: INK });
      visitLines.push({ text: MODE_SV[b.contactMode], font: 'Helvetica-Bold', size: 10, color: INK });
      if (b.status !== 'booked') visitLines.push({ text: STATUS_SV[b.status], font: 'Helvetica-Oblique', size: 9, color: MUTED });
      note = b.note;
    } else {
      const label = row.booked ? 'Bokad' : row.slotState === 'blocked' ? 'Spärrad' : 'Ledig';
      patientLines.push({ text: label, font: 'Helvetica', size: 11, color: MUTED });
      visitLines.push({ text: row.offeredTypes.join(', '), font: 'Helvetica', size: 9, color: MUTED });
    }
    const heightOf = (lines: typeof patientLines, w: number) =>
      lines.reduce((h, l) => h + doc.font(l.font).fontSize(l.size).heightOfString(l.text, { width: w }) + 1, 0);
    const noteH = note ? doc.font('Helvetica').fontSize(10).heightOfString(note, { width: noteWidth() }) : 0;
    const pass = passNote(row);
    const timeH = (b ? 34 : 24) + (pass ? 11 : 0);
    const h = Math.max(timeH, heightOf(patientLines, COLS.patient - 8), heightOf(visitLines, COLS.visit - 8), noteH) + 10;
    if (top + h > bottom()) return false;

    const timeColor = b ? INK : MUTED;
    doc
      .font('Helvetica-Bold')
      .fontSize(b ? 18 : 14)
      .fillColor(timeColor)
      .text(clock.time(row.startAt), x.time, top, { width: COLS.time, lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(`till ${endTime(row)}`, x.time, top + (b ? 20 : 16), { width: COLS.time, lineBreak: false });
    if (pass)
      doc
        .font('Helvetica-Bold')
        .fontSize(8.5)
        .fillColor(INK)
        .text(pass, x.time, top + (b ? 31 : 27), { width: COLS.time - 4, lineBreak: false });
    const column = (lines: typeof patientLines, left: number, w: number) => {
      let y = top + 2;
      for (const l of lines) {
        doc.font(l.font).fontSize(l.size).fillColor(l.color).text(l.text, left, y, { width: w });
        y = doc.y + 1;
      }
    };
    column(patientLines, x.patient, COLS.patient - 8);
    column(visitLines, x.visit, COLS.visit - 8);
    if (note)
      doc
        .font('Helvetica')
        .fontSize(10)
        .fillColor(INK)
        .text(note, x.note, top + 2, { width: noteWidth() });
    const lineY = top + h - 4;
    doc
      .moveTo(MARGIN, lineY)
      .lineTo(MARGIN + width(), lineY)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = lineY + 5;
    return true;
  };

  const drawDay = (resource: ExportResource, date: string, rows: ExportRow[]) => {
    const booked = rows.filter((r) => r.booking).length;
    const free = rows.filter((r) => !r.booked && r.slotState === 'open').length;
    const counts = options.includeFree ? `${booked} bokade · ${free} lediga` : `${booked} bokade`;
    // The night the clocks go back, the list says why one hour's times are marked.
    const summary = rows.some((r) => passNote(r))
      ? `${counts} · Klockan ställs tillbaka 03:00 till 02:00: tiderna 02:00–02:59 finns två gånger, märkta sommartid och vintertid.`
      : counts;
    startPage(resource, date, summary, false);
    for (const row of rows) {
      if (!drawRow(row)) {
        startPage(resource, date, summary, true);
        drawRow(row);
      }
    }
  };

  for (const resource of query.resources()) {
    let day: string | null = null;
    let rows: ExportRow[] = [];
    for (const page of query.pages(tally, { resourceId: resource.id })) {
      for (const row of page) {
        if (!options.includeFree && !row.booking) continue;
        const date = clock.date(row.startAt);
        if (day !== null && date !== day) {
          drawDay(resource, day, rows);
          rows = [];
        }
        day = date;
        rows.push(row);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (day !== null) drawDay(resource, day, rows);
  }
  if (pageNo === 0) {
    doc.addPage();
    pageNo++;
    doc.font('Helvetica-Bold').fontSize(16).fillColor(INK).text(`${options.unitName} · Dagslista`);
    doc.moveDown().font('Helvetica').fontSize(12).text(`Inga tider ${query.scope.from} – ${query.scope.to}.`);
    footer();
  }
  doc.end();
  await finished;
}
