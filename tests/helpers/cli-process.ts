// The real `tidbok` as a child process (tsx, this checkout), "today" pinned by TIDBOK_NOW, with
// its exit code and output. Each spawn costs about a second: tests batch assertions per spawn.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { main } from '../../src-main/cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A Monday morning: "today" is 2026-11-23 unless a test pins another time. */
export const CLI_NOW = '2026-11-23T07:00:00+01:00';

export function spawnTidbok(
  args: readonly string[],
  options: { now?: string; stdin?: string } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, TIDBOK_NOW: options.now ?? CLI_NOW },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => done({ code, out, err }));
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * `tidbok …args` in this process (fast: no spawn), its output captured and "now" pinned by
 * TIDBOK_NOW for the call. For cases that need two processes at once, use spawnTidbok.
 */
export async function runTidbok(args: readonly string[], now = CLI_NOW): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const { write: stdout } = process.stdout;
  const { write: stderr } = process.stderr;
  const before = process.env['TIDBOK_NOW'];
  const level = process.env['TIDBOK_LOG_LEVEL'];
  process.env['TIDBOK_NOW'] = now;
  // The CLI's log goes straight to file descriptor 2 (past the capture below): keep it out of the
  // test run's output unless asked for (tests read what the command prints, not its log).
  process.env['TIDBOK_LOG_LEVEL'] = level ?? 'silent';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(['node', 'tidbok', ...args]), out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    if (before === undefined) delete process.env['TIDBOK_NOW'];
    else process.env['TIDBOK_NOW'] = before;
    if (level === undefined) delete process.env['TIDBOK_LOG_LEVEL'];
    else process.env['TIDBOK_LOG_LEVEL'] = level;
  }
}
