// Export use case, shared by the api (file returned to the renderer) and the CLI (file on disk):
// who may export what, which writer, and the access-log event. A file on disk is written to a
// temporary name and renamed only when complete, so a failed export leaves no partial file.
//
// Access log (decided here): one event of action 'export' (or 'print' for a day list printed at
// the desk) per distinct patient whose data left the database, with patient_id set, so the
// patient's log extract finds it through the patient index like every other access
// (services/audit.ts recordPatientReads does the same for views). All events of one file share
// entity 'export' and entity_id = a fresh export id; their detail carries unit, format, period,
// content, patient-data level, resources when limited, row and patient counts. A file without
// patient data still gets one event (patient_id null, patientCount 0), so every export is in
// the log. The events are appended as one batch (recordAuditPerPatient: one read of the chain's
// head, one anchor write, each row hash-chained like any other), after the file is complete and
// in the same transaction as its hand-over (the rename onto the target name): no file without
// its log rows, no log rows for a file that failed.
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { AppError, notFound } from '../api/result.ts';
import type { Unit } from '../api/types.ts';
import { recordAuditEvents, recordAuditPerPatient } from '../services/audit.ts';
import type { Caller, ServiceContext } from '../services/context.ts';
import { currentUnit, findUnitByHsaId } from '../services/unit.ts';
import { writeCsv, type CsvSeparator } from './csv.ts';
import { ExportQuery, PatientTally, type ExportContent, type PatientData } from './query.ts';
import type { SheetLayout } from './xlsx.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'ics' | 'pdf';

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ics: 'text/calendar; charset=utf-8',
  pdf: 'application/pdf',
};

export interface ExportRequest {
  /** The unit by HSA-id (CLI); the workstation's current unit when absent. */
  unitHsaId?: string | undefined;
  from: string;
  to: string;
  resourceIds?: readonly string[] | undefined;
  content: ExportContent;
  patientData: PatientData;
  format: ExportFormat;
  separator?: CsvSeparator | undefined;
  layout?: SheetLayout | undefined;
  /** 'print' = a day list printed at the desk (receptionists may); 'export' otherwise. */
  purpose?: 'export' | 'print' | undefined;
}

export interface ExportOutcome {
  exportId: string;
  fileName: string;
  mimeType: string;
  rows: number;
  patients: number;
}

function resolveUnit(ctx: ServiceContext, hsaId: string | undefined): Unit {
  if (hsaId === undefined) return currentUnit(ctx);
  const unit = findUnitByHsaId(ctx, hsaId);
  if (!unit) throw notFound(`Vårdenheten ${hsaId}`);
  return unit;
}

/** Exports that carry patient data need the admin role; a receptionist may print day lists. */
export function assertMayExport(caller: Caller, request: ExportRequest): void {
  const carriesPatients = request.content !== 'slots' && request.patientData !== 'none';
  if (caller.roles.includes('admin')) return;
  if (!carriesPatients && caller.roles.includes('scheduler')) return;
  if (request.purpose === 'print' && request.format === 'pdf' && caller.roles.includes('receptionist')) return;
  throw new AppError(
    'forbidden',
    carriesPatients ? 'Export med patientuppgifter kräver rollen administratör.' : 'Din roll får inte exportera.',
  );
}

export function exportFileName(unit: Unit, request: ExportRequest): string {
  const period = request.from === request.to ? request.from : `${request.from}_${request.to}`;
  const stem = request.format === 'pdf' ? 'dagslista' : 'tidbok';
  return `${stem}-${unit.hsaId}-${period}.${request.format}`;
}

/** Writes the export into `out` and records the access-log event once it is complete. */
export async function produceExport(
  ctx: ServiceContext,
  caller: Caller,
  request: ExportRequest,
  out: Writable,
  beforeHandOver: () => void = () => {},
): Promise<ExportOutcome> {
  assertMayExport(caller, request);
  const unit = resolveUnit(ctx, request.unitHsaId);
  const query = new ExportQuery(ctx, {
    unitId: unit.id,
    timeZone: unit.timeZone,
    from: request.from,
    to: request.to,
    resourceIds: request.resourceIds,
    content: request.content,
    patientData: request.patientData,
  });
  query.resources(); // rejects unknown resources before anything is written
  const tally = new PatientTally();
  const now = ctx.now();
  // The writers with a library (exceljs, pdfkit, ical-generator) are loaded only by the format
  // that needs them: together they would double the process's memory before anything is exported.
  switch (request.format) {
    case 'csv':
      await writeCsv(query, out, tally, { separator: request.separator });
      break;
    case 'xlsx': {
      const { writeXlsx } = await import('./xlsx.ts');
      await writeXlsx(query, out, tally, { layout: request.layout, createdAt: new Date(now), unitName: unit.name });
      break;
    }
    case 'ics': {
      const { writeIcs } = await import('./ics.ts');
      await writeIcs(query, out, tally, { stamp: now, unitName: unit.name });
      break;
    }
    case 'pdf': {
      const { writeDayListPdf } = await import('./pdf.ts');
      await writeDayListPdf(query, out, tally, {
        unitName: unit.name,
        printedAt: now,
        printedBy: caller.displayName,
        includeFree: request.content !== 'bookings',
      });
      break;
    }
  }
  const exportId = ctx.newId();
  const patientIds = [...tally.ids].sort();
  // Repeated in every patient's row, so kept short: the export id is the rows' entity_id, and
  // resources are named only when the export was limited to some.
  const detail = {
    unit: unit.hsaId,
    format: request.format,
    from: request.from,
    to: request.to,
    content: request.content,
    patientData: request.patientData,
    ...(request.resourceIds ? { resourceIds: request.resourceIds } : {}),
    rows: tally.rows,
    patientCount: patientIds.length,
  };
  const action = request.purpose === 'print' ? 'print' : 'export';
  const event = { action, entity: 'export', entityId: exportId, detail } as const;
  ctx.db.transaction(() => {
    if (patientIds.length === 0) recordAuditEvents(ctx, caller, [event]);
    else recordAuditPerPatient(ctx, caller, event, patientIds);
    beforeHandOver();
  })();
  return {
    exportId,
    fileName: exportFileName(unit, request),
    mimeType: MIME_TYPES[request.format],
    rows: tally.rows,
    patients: patientIds.length,
  };
}

/** The export as bytes (the api hands them to the renderer, which cannot write files). */
export async function exportToBuffer(
  ctx: ServiceContext,
  caller: Caller,
  request: ExportRequest,
): Promise<ExportOutcome & { data: Buffer }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const outcome = await produceExport(ctx, caller, request, sink);
  return { ...outcome, data: Buffer.concat(chunks) };
}

/** The export as a file; nothing at `path` unless it completed (temporary name, then rename). */
export async function exportToFile(
  ctx: ServiceContext,
  caller: Caller,
  request: ExportRequest,
  path: string,
): Promise<ExportOutcome> {
  if (!existsSync(dirname(path))) throw new AppError('validation', `Mappen ${dirname(path)} finns inte.`);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const out = createWriteStream(temp, { flags: 'wx', highWaterMark: 1 << 20 });
  try {
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    return await Promise.race([failed, produceExport(ctx, caller, request, out, () => renameSync(temp, path))]);
  } catch (err) {
    out.destroy();
    rmSync(temp, { force: true });
    throw err;
  }
}
