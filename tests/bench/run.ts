// `npm run bench`: runs every tests/bench/*.bench.ts module in one process, prints a table and
// writes the figures as JSON to $BENCH_OUT (default bench-results.json). Benchmarks are not
// tests: they report figures against their targets and never fail on timing.
// A module exports `run(report)`; BENCH_ONLY=core,sync limits the run to some modules.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Figure, Report } from './figures.ts';

const dir = import.meta.dirname;
const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim());
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

const figures: Figure[] = [];
const report: Report = (figure) => {
  figures.push(figure);
  const target = figure.target ? `${figure.target.op} ${figure.target.value}` : '';
  const verdict = figure.target ? (meets(figure) ? 'ok' : 'MISSED') : '';
  process.stdout.write(
    `${figure.name.padEnd(40)} ${String(round(figure.value)).padStart(12)} ${figure.unit.padEnd(6)} ${target.padEnd(10)} ${verdict}\n`,
  );
};

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
function meets(f: Figure): boolean {
  if (!f.target) return true;
  return f.target.op === '<' ? f.value < f.target.value : f.value >= f.target.value;
}

process.stdout.write(`${'figure'.padEnd(40)} ${'value'.padStart(12)} ${'unit'.padEnd(6)} ${'target'.padEnd(10)}\n`);
for (const file of modules) {
  process.stdout.write(`# ${file}\n`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run: (r: Report) => Promise<void> };
  await mod.run(report);
}
const out = process.env['BENCH_OUT'] ?? 'bench-results.json';
writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
process.stdout.write(`${figures.length} figures written to ${out}\n`);
