// `npm run lint:electron`: Electronegativity over src-main, as a lint aid. Its own CLI breaks
// against the commander we ship, so this calls its documented programmatic API. Every finding
// must be fixed, or explained where it is (a comment plus `// eng-disable CHECK_ID` on the line,
// which Electronegativity honours). It misjudges options built by functions, so the proof of the
// settings is tests/unit/security, not this scan.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
}
type Run = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

const root = resolve(import.meta.dirname, '..');
const require = createRequire(resolve(root, 'package.json'));
const run = require('@doyensec/electronegativity') as Run;
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string })
  .version;

const result = await run(
  {
    input: resolve(root, 'src-main'),
    isRelative: true,
    customScan: [],
    excludeFromScan: [],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);
const hard = result.errors.filter((e) => !e.tolerable);
for (const e of hard) process.stderr.write(`could not parse ${e.file}: ${e.message}\n`);
for (const i of result.issues) {
  process.stdout.write(
    `${i.severity.name.padEnd(6)} ${i.id.padEnd(28)} src-main/${i.file}:${i.location.line}  ${i.description}\n`,
  );
}
process.stdout.write(`electronegativity (Electron ${electronVersion}): ${result.issues.length} unexplained finding(s)\n`);
process.exit(result.issues.length > 0 || hard.length > 0 ? 1 : 0);
