// A test run keeps its temporary files (databases, logs, exports, browser profiles) under one
// folder of its own and removes it when the run ends. The suites make well over a thousand
// temporary folders a run; left in /tmp they filled a developer's disk. Child processes (web
// shells, the CLI) inherit TMPDIR, so theirs go there too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points TMPDIR at a fresh folder; the returned function puts it back and removes the folder. */
export function useScratchTmp(prefix: string): () => void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
