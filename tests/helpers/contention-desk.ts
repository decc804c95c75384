// The test's side of tests/helpers/contention-worker.ts: one more desk in its own process with its
// own connection to a shared database file, sent JSON lines and answering them in order.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ContentionCommand } from './contention-worker.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export class Desk {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/contention-worker.ts'], { cwd: ROOT });
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.child.on('exit', (code) => {
      if (code) for (const w of this.waiting.splice(0)) w(JSON.stringify({ crashed: this.stderr }));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  send<T>(cmd: ContentionCommand): Promise<T> {
    return new Promise((done, fail) => {
      this.waiting.push((l) => {
        const msg = JSON.parse(l) as T & { crashed?: string };
        if (msg.crashed !== undefined) fail(new Error(`desk crashed:\n${msg.crashed}`));
        else done(msg);
      });
      this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  stop(): void {
    this.child.stdin.end();
  }
}
