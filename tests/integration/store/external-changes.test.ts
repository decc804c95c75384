// Another process's commit on the desk's database file (the CLI, a second shell) is announced on
// the desk's change bus, so the screens refetch and the sync engine pushes what it queued: in
// process on two real connections, and end to end through a real web shell's event stream.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src-main/store/database.ts';
import { createContext } from '../../../src-main/services/context.ts';
import {
  EXTERNAL_CHANGE,
  watchExternalChanges,
  type ExternalChangeWatcher,
} from '../../../src-main/services/external-changes.ts';
import type { ChangeEvent } from '../../../src-main/api/types.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';
import { startShell, type RunningShell } from '../../helpers/web-shell.ts';

let watcher: ExternalChangeWatcher | undefined;
let shell: RunningShell | undefined;
afterEach(async () => {
  watcher?.stop();
  await shell?.stop();
  shell = undefined;
});

describe('watchExternalChanges', () => {
  it('announces each commit of another connection once, and none of its own', () => {
    const path = tempDbPath();
    const desk = createContext(openDatabase(path));
    const cli = openDatabase(path);
    const events: ChangeEvent[] = [];
    desk.events.subscribe((e) => events.push(e));
    watcher = watchExternalChanges(desk, { everyMs: 3_600_000 });

    expect(watcher.check()).toBe(false);
    cli.prepare(`INSERT INTO settings (key, value) VALUES ('x', '1')`).run();
    expect(watcher.check()).toBe(true);
    expect(watcher.check()).toBe(false);
    expect(events).toEqual([EXTERNAL_CHANGE]);

    desk.db.prepare(`INSERT INTO settings (key, value) VALUES ('y', '1')`).run();
    expect(watcher.check()).toBe(false);
    cli.transaction(() => {
      cli.prepare(`UPDATE settings SET value = '2' WHERE key = 'x'`).run();
      cli.prepare(`UPDATE settings SET value = '2' WHERE key = 'y'`).run();
    })();
    expect(watcher.check()).toBe(true);
    expect(events).toHaveLength(2);
    cli.close();
    desk.db.close();
    expect(watcher.check()).toBe(false); // a closed database is not read
  });

  it('reaches a running web shell’s event stream when another process writes its file', async () => {
    shell = await startShell({ demo: false });
    const res = await fetch(`${shell.origin}/api/events?token=${shell.token}`);
    const reader = res.body!.getReader();
    const cli = new Database(shell.dbPath);
    cli.pragma('busy_timeout = 5000');
    cli.prepare(`INSERT INTO settings (key, value) VALUES ('from-cli', '1')`).run();
    cli.close();
    let text = '';
    while (!text.includes('"external"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(text).toContain(`event: changed\ndata: ${JSON.stringify(EXTERNAL_CHANGE)}`);
  }, 60_000);
});
