// The packaging config ships the fuses and installers DESIGN.md names.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

const require = createRequire(import.meta.url);
const config = require(resolve(import.meta.dirname, '../../../electron-builder.config.cjs')) as Configuration;

describe('electron-builder.config.cjs', () => {
  it('flips the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds the installers regions deploy', () => {
    expect(config.appId).toBe('se.tidbok.app');
    expect(config.productName).toBe('Tidbok');
    expect(config.win?.target).toEqual(['nsis', 'msi']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('ships our Electron-ABI SQLite build instead of rebuilding, from an asar', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringContaining('better-sqlite3')]));
    expect(config.extraResources).toEqual([{ from: '.native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' }]);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'db/migrations/**', 'package.json']));
  });
});
