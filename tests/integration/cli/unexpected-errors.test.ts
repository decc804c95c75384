// What tidbok prints when something it did not foresee goes wrong: one line, no stack trace (an
// outside probe got ten frames for a mistyped TIDBOK_NOW), and the stack only when the log level
// asks for it. The pinned clock's own message says in Swedish what it should look like.
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../helpers/temp-db.ts';
import { spawnTidbok } from '../../helpers/cli-process.ts';

const MESSAGE = 'TIDBOK_NOW ska vara en tidpunkt i ISO 8601, t.ex. 2026-11-23T09:10:00+01:00, inte "nästa måndag".';

describe('an error tidbok did not foresee', () => {
  const { path, db } = openTestDb({ demo: true });
  db.close();

  it('is one Swedish line, exit 1, no stack trace', async () => {
    const r = await spawnTidbok(['slots', 'free', '--type', 'LAKBES', '--db', path], { now: 'nästa måndag' });
    expect(r).toEqual({ code: 1, out: '', err: `tidbok: ${MESSAGE}\n` });
  }, 60_000);
});
