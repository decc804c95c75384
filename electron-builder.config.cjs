// electron-builder: installers per platform (regions deploy Windows by MSI), Electron fuses
// flipped at packaging time, and our own Electron-ABI build of better-sqlite3 shipped beside the
// app (src-main/shells/electron/build-native.ts, native-binding.ts), so nothing is rebuilt here.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'se.tidbok.app',
  productName: 'Tidbok',
  copyright: 'Tidbok contributors, GPL-3.0-or-later',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**', 'db/migrations/**', 'package.json'],
  asar: true,
  asarUnpack: ['**/node_modules/better-sqlite3/**'],
  extraResources: [{ from: '.native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' }],
  // We ship the Electron-ABI build from .native/electron (npm run native:electron).
  npmRebuild: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
  win: { target: ['nsis', 'msi'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  msi: { oneClick: false, perMachine: true },
  linux: { target: ['AppImage', 'deb'], category: 'Office', maintainer: 'Tidbok contributors' },
  mac: { target: ['dmg'], category: 'public.app-category.medical' },
};
