// Runs in its own process so its peak RSS is the export's alone: 100k bookings to CSV and to
// XLSX, streamed to files. Prints one JSON line: {csvMs, xlsxMs, csvCpuMs, xlsxCpuMs, baseRssMb, peakRssMb}.
import { join } from 'node:path';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { exportToFile } from '../../src-main/export/service.ts';
import { BENCH_HSA } from './export-data.ts';

const [dbPath, outDir] = process.argv.slice(2) as [string, string];
const db = openDatabase(dbPath);
const ctx = createContext(db, { now: () => Date.parse('2026-12-31T12:00:00Z') });
const caller = { userId: null, username: 'bench', displayName: 'Bench', roles: ['admin'] as const, workstation: 'bench' };
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const baseRssMb = rssMb();
const request = { unitHsaId: BENCH_HSA, from: '2026-01-01', to: '2026-12-31', content: 'bookings', patientData: 'full' } as const;

// CPU time (all threads, zlib's included) next to wall time: on a shared, busy machine it says
// more about the code than the wall clock does.
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
let t = performance.now();
let cpu = process.cpuUsage();
const csv = await exportToFile(ctx, caller, { ...request, format: 'csv' }, join(outDir, 'bench.csv'));
const csvMs = performance.now() - t;
const csvCpuMs = cpuMs(cpu);
t = performance.now();
cpu = process.cpuUsage();
const xlsx = await exportToFile(ctx, caller, { ...request, format: 'xlsx' }, join(outDir, 'bench.xlsx'));
const xlsxMs = performance.now() - t;
const xlsxCpuMs = cpuMs(cpu);
if (csv.rows !== 100_000 || xlsx.rows !== 100_000) throw new Error(`expected 100000 rows, got ${csv.rows} / ${xlsx.rows}`);
process.stdout.write(`${JSON.stringify({ csvMs, xlsxMs, csvCpuMs, xlsxCpuMs, baseRssMb, peakRssMb: rssMb() })}\n`);
db.close();
