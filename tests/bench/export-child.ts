// One export of 100k bookings in a process of its own, as `tidbok export` runs it (one export
// per run of the CLI): open the database, export to a file, exit. Its peak RSS is then that
// export's alone. Prints one JSON line: {rows, ms, cpuMs, baseRssMb, peakRssMb}.
import { join } from 'node:path';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { exportToFile, type ExportFormat } from '../../src-main/export/service.ts';
import { BENCH_HSA } from './export-data.ts';

const [dbPath, outDir, format] = process.argv.slice(2) as [string, string, ExportFormat];
const db = openDatabase(dbPath);
const ctx = createContext(db, { now: () => Date.parse('2026-12-31T12:00:00Z') });
const caller = { userId: null, username: 'bench', displayName: 'Bench', roles: ['admin'] as const, workstation: 'bench' };
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const baseRssMb = rssMb();
const request = { unitHsaId: BENCH_HSA, from: '2026-01-01', to: '2026-12-31', content: 'bookings', patientData: 'full' } as const;

// CPU time (all threads, zlib's included) next to wall time: on a shared, busy machine it says
// more about the code than the wall clock does.
const t = performance.now();
const cpu = process.cpuUsage();
const outcome = await exportToFile(ctx, caller, { ...request, format }, join(outDir, `bench.${format}`));
const ms = performance.now() - t;
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({ rows: outcome.rows, ms, cpuMs: (used.user + used.system) / 1000, baseRssMb, peakRssMb: rssMb() })}\n`,
);
db.close();
