// Handlers of the export, print and statistics methods: each calls one service.
import type { exportMethods } from '../methods/export.ts';
import type { HandlersFor } from '../handler-types.ts';
import { exportToBuffer } from '../../export/service.ts';
import { statisticsCsv } from '../../export/stats-csv.ts';
import { unitStatistics } from '../../services/statistics.ts';
import { currentUnit } from '../../services/unit.ts';

export const exportHandlers: HandlersFor<typeof exportMethods> = {
  'export.create': async ({ ctx, caller }, input) => {
    const file = await exportToBuffer(ctx, caller, { ...input, purpose: 'export' });
    return {
      fileName: file.fileName,
      mimeType: file.mimeType,
      base64: file.data.toString('base64'),
      rows: file.rows,
      patients: file.patients,
    };
  },
  'export.dayList': async ({ ctx, caller }, input) => {
    const file = await exportToBuffer(ctx, caller, {
      from: input.date,
      to: input.date,
      resourceIds: input.resourceIds,
      content: input.includeFree === false ? 'bookings' : 'both',
      patientData: input.pseudonymise ? 'pseudonymised' : 'full',
      format: 'pdf',
      purpose: 'print',
    });
    return {
      fileName: file.fileName,
      mimeType: file.mimeType,
      base64: file.data.toString('base64'),
      rows: file.rows,
      patients: file.patients,
    };
  },
  'stats.summary': ({ ctx }, input) => unitStatistics(ctx, input),
  'stats.csv': ({ ctx }, input) => {
    const stats = unitStatistics(ctx, input);
    const data = Buffer.from(statisticsCsv(stats, input.separator), 'utf8');
    return {
      fileName: `statistik-${currentUnit(ctx).hsaId}-${input.from}_${input.to}.csv`,
      mimeType: 'text/csv; charset=utf-8',
      base64: data.toString('base64'),
      rows: stats.weeks.length,
      patients: 0,
    };
  },
};
