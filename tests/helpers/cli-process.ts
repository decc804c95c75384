// The real `tidbok` as a child process (tsx, this checkout), "today" pinned by TIDBOK_NOW, with
// its exit code and output. Each spawn costs about a second: tests batch assertions per spawn.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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
