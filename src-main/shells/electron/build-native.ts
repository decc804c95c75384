// Builds better-sqlite3 for Electron's ABI into .native/electron/, leaving node_modules (Node's
// ABI, used by tests, CLI and web shell) untouched. Needs Electron's headers from the network,
// so it runs on a connected build machine (npm run dist), not in CI here.
import { cpSync, mkdirSync, rmSync, copyFileSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { rebuild } from '@electron/rebuild';
import { NATIVE_FILE } from './native-binding.ts';

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string })
  .version;
const work = join(root, '.native', 'electron-build');
const out = join(root, '.native', 'electron');

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
cpSync(join(root, 'node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), { recursive: true });
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({ name: 'tidbok-native', version: '0.0.0', dependencies: { 'better-sqlite3': '*' } }),
);
await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
mkdirSync(out, { recursive: true });
copyFileSync(join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', NATIVE_FILE), join(out, NATIVE_FILE));
process.stdout.write(`better-sqlite3 built for Electron ${electronVersion}: ${join(out, NATIVE_FILE)}\n`);
