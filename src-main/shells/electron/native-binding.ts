// better-sqlite3 needs a native build per ABI. Node (tests, CLI, web shell) uses the one in
// node_modules; Electron loads its own build from .native/electron (made by build-native.ts on a
// machine that can reach Electron's headers) or, packaged, from resources/native.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';

export function electronNativeBindingPath(appPath: string, resourcesPath: string, packaged: boolean): string | null {
  const candidate = packaged ? join(resourcesPath, 'native', NATIVE_FILE) : join(appPath, '.native', 'electron', NATIVE_FILE);
  return existsSync(candidate) ? candidate : null;
}
