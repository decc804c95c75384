// Export benchmark (DESIGN targets): 100k bookings to CSV (< 1 s) and to XLSX (< 5 s), streamed
// to files, and the exporting process's peak RSS (it runs in a child process of its own so no
// other benchmark's memory counts). The times include the access-log rows the export writes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from './figures.ts';
import { createExportBenchDb } from './export-data.ts';

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-bench-export-'));
  try {
    const dbPath = join(dir, 'bench.db');
    createExportBenchDb(dbPath);
    const child = resolve(import.meta.dirname, 'export-child.ts');
    const out = execFileSync(process.execPath, ['--import', 'tsx', child, dbPath, dir], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
      csvMs: number;
      xlsxMs: number;
      csvCpuMs: number;
      xlsxCpuMs: number;
      baseRssMb: number;
      peakRssMb: number;
    };
    report({ name: 'export.csv_100k.ms', value: r.csvMs, unit: 'ms', target: { op: '<', value: 1000 } });
    report({ name: 'export.xlsx_100k.ms', value: r.xlsxMs, unit: 'ms', target: { op: '<', value: 5000 } });
    report({ name: 'export.csv_100k.cpu_ms', value: r.csvCpuMs, unit: 'ms', target: null });
    report({ name: 'export.xlsx_100k.cpu_ms', value: r.xlsxCpuMs, unit: 'ms', target: null });
    // Peak RSS of the whole child process (runtime, tsx and the writers' libraries included, ~185 MB before any export;
    // the baseline figure tells the two apart). DESIGN: main process under 250 MB.
    report({ name: 'export.peak_rss.mb', value: r.peakRssMb, unit: 'mb', target: { op: '<', value: 250 } });
    report({ name: 'export.rss_baseline.mb', value: r.baseRssMb, unit: 'mb', target: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await Promise.resolve();
}
