// Renderer benchmark (`npm run bench`): Tidbok's calendar against the baseline (FullCalendar v6
// resource time-grid, default settings, every slot a plain event), same data, same browser run.
// Scenarios: A day / 40 resources / 1,200 slots; B week / 10 / 1,500; C week / 40 / 4,000.
// First paint = mount until the frame after it; next = next day / week until the frame after.
// Pages are built from tests/bench/ui/ with vite; each measurement gets a fresh page, variants
// alternate, medians of REPS. Plus a drag-rebook round trip through the real web shell.
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../../playwright.config.ts';
import { median, type Report } from './figures.ts';
import { measureDragRebook } from './ui/drag-rebook.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = join(ROOT, 'tests/bench/ui');
const OUT = join(ROOT, 'out/bench-ui');
const REPS = Number(process.env['UI_BENCH_REPS'] ?? 5);
const SCENARIOS = (process.env['UI_BENCH_SCENARIOS'] ?? 'A,B,C').split(',').filter(Boolean);

export async function buildPages(): Promise<void> {
  await build({
    root: PAGES,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: OUT,
      emptyOutDir: true,
      chunkSizeWarningLimit: 5000,
      minify: process.env['UI_BENCH_MINIFY'] !== '0',
      rollupOptions: { input: { ours: join(PAGES, 'ours.html'), baseline: join(PAGES, 'baseline.html') } },
    },
  });
}

export function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = normalize(join(dir, new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type =
      { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function measure(
  browser: Browser,
  origin: string,
  variant: 'ours' | 'baseline',
  scenario: string,
): Promise<{ first: number; next: number; count: number }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  try {
    await page.goto(`${origin}/${variant}.html?scenario=${scenario}`);
    await page.waitForFunction(() => window.bench !== undefined);
    const first = await page.evaluate(() => window.bench!.mount());
    const count = await page.evaluate(() => window.bench!.count());
    const next = await page.evaluate(() => window.bench!.next());
    return { first, next, count };
  } finally {
    await page.close();
  }
}

export async function run(report: Report): Promise<void> {
  await buildPages();
  const server = await serve(OUT);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    env: CHROMIUM_ENV,
  });
  try {
    for (const s of SCENARIOS) {
      const ours = { first: [] as number[], next: [] as number[] };
      const base = { first: [] as number[], next: [] as number[] };
      // One warm-up of each, not counted (first page of a browser pays for its caches).
      await measure(browser, origin, 'baseline', s);
      await measure(browser, origin, 'ours', s);
      for (let i = 0; i < REPS; i++) {
        const b = await measure(browser, origin, 'baseline', s);
        const o = await measure(browser, origin, 'ours', s);
        if (o.count !== b.count) process.stdout.write(`  note: ${s} drew ${o.count} items, baseline ${b.count}\n`);
        base.first.push(b.first);
        base.next.push(b.next);
        ours.first.push(o.first);
        ours.next.push(o.next);
      }
      const firstTarget = s === 'C' ? 1500 : 600;
      report({ name: `ui.${s}.first_paint.ms`, value: median(ours.first), unit: 'ms', target: { op: '<', value: firstTarget } });
      report({
        name: `ui.${s}.next.ms`,
        value: median(ours.next),
        unit: 'ms',
        target: s === 'C' ? null : { op: '<', value: 200 },
      });
      report({
        name: `ui.${s}.first_paint_speedup.ratio`,
        value: median(base.first) / median(ours.first),
        unit: 'ratio',
        target: s === 'C' ? null : { op: '>=', value: 2.5 },
      });
      report({
        name: `ui.${s}.next_speedup.ratio`,
        value: median(base.next) / median(ours.next),
        unit: 'ratio',
        target: s === 'C' ? null : { op: '>=', value: 2.5 },
      });
      process.stdout.write(
        `  baseline ${s}: first paint ${median(base.first).toFixed(0)} ms, next ${median(base.next).toFixed(0)} ms\n`,
      );
    }
    const drag = await measureDragRebook(browser);
    if (drag !== null) report({ name: 'ui.drag_rebook.ms', value: drag, unit: 'ms', target: { op: '<', value: 100 } });
  } finally {
    await browser.close();
    server.close();
  }
}
