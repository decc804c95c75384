// Export benchmark (DESIGN targets): 100k bookings with full patient data to CSV (< 1 s) and to
// XLSX (< 5 s), streamed to files, access-log events included, and the exporting process's peak
// RSS. Each export runs in a child process of its own on its own copy of the data, as one run
// of `tidbok export` does: no other benchmark's (or the other export's) memory counts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from './figures.ts';
import { BOOKINGS, createExportBenchDb } from './export-data.ts';

interface ChildResult {
  rows: number;
  ms: number;
  cpuMs: number;
  baseRssMb: number;
  peakRssMb: number;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-bench-export-'));
  try {
    const data = join(dir, 'data.db');
    createExportBenchDb(data);
    const child = resolve(import.meta.dirname, 'export-child.ts');
    const exportOnce = (format: 'csv' | 'xlsx'): ChildResult => {
      const dbPath = join(dir, `${format}.db`);
      copyFileSync(data, dbPath);
      const out = execFileSync(process.execPath, ['--import', 'tsx', child, dbPath, dir, format], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
      if (r.rows !== BOOKINGS) throw new Error(`${format}: expected ${BOOKINGS} rows, got ${r.rows}`);
      return r;
    };
    const csv = exportOnce('csv');
    const xlsx = exportOnce('xlsx');
    report({ name: 'export.csv_100k.ms', value: csv.ms, unit: 'ms', target: { op: '<', value: 1000 } });
    report({ name: 'export.xlsx_100k.ms', value: xlsx.ms, unit: 'ms', target: { op: '<', value: 5000 } });
    // CPU time (all threads, zlib's included): on a shared, busy machine it says more about the
    // code than the wall clock does.
    report({ name: 'export.csv_100k.cpu_ms', value: csv.cpuMs, unit: 'ms', target: null });
    report({ name: 'export.xlsx_100k.cpu_ms', value: xlsx.cpuMs, unit: 'ms', target: null });
    // Peak RSS of the exporting process (runtime and tsx included; the baseline, measured after
    // opening the database and before the export, tells the two apart). DESIGN: under 250 MB.
    report({
      name: 'export.peak_rss.mb',
      value: Math.max(csv.peakRssMb, xlsx.peakRssMb),
      unit: 'mb',
      target: { op: '<', value: 250 },
    });
    report({ name: 'export.csv_100k.peak_rss.mb', value: csv.peakRssMb, unit: 'mb', target: null });
    report({ name: 'export.xlsx_100k.peak_rss.mb', value: xlsx.peakRssMb, unit: 'mb', target: null });
    report({ name: 'export.rss_baseline.mb', value: Math.max(csv.baseRssMb, xlsx.baseRssMb), unit: 'mb', target: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
