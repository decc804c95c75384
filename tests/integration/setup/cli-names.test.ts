// `tidbok unit init` and `tidbok resources add` take what the app takes: an outside probe found
// that they called the services past the api's checks, so a 201-character name failed on the
// table's CHECK with a SqliteError stack trace (exit 1), and a name with a line break was stored
// (the api refuses both in Swedish). Now both commands go through the api (exit 2, one line, the
// field named, nothing written), and the unit's name is held to the rules of a resource's.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { openTestDb, tempDbPath, testCaller } from '../../helpers/temp-db.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const LONG = 'x'.repeat(201);

/** What the file holds: the unit's name and the resources' names. */
function held(path: string) {
  const db = openDatabase(path);
  try {
    return {
      units: db.prepare(`SELECT name FROM units`).pluck().all(),
      resources: db.prepare(`SELECT name FROM resources ORDER BY sort_order`).pluck().all(),
    };
  } finally {
    db.close();
  }
}

describe('names typed at the command line', () => {
  it('unit init refuses a name too long or with a line break: exit 2, one Swedish line, no unit', async () => {
    const db = tempDbPath();
    for (const [name, message] of [
      [LONG, 'Ogiltiga uppgifter: Högst 200 tecken. (name)'],
      ['Vårdcentralen\nNorrby', 'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken. (name)'],
    ]) {
      const r = await runTidbok(['unit', 'init', '--hsa', 'SE2321000016-NRBY', '--name', name!, '--db', db]);
      expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 2, out: '', err: `tidbok: ${message}\n` });
    }
    expect(held(db).units).toEqual([]);
    expect(
      (await runTidbok(['unit', 'init', '--hsa', 'SE2321000016-NRBY', '--name', ' Vårdcentralen Norrby ', '--db', db])).code,
    ).toBe(0);
    expect(held(db).units).toEqual(['Vårdcentralen Norrby']);
  });

  it('resources add refuses the same, and a title too long; the good one is added', async () => {
    const db = tempDbPath();
    expect(
      (await runTidbok(['unit', 'init', '--hsa', 'SE2321000016-NRBY', '--name', 'Vårdcentralen Norrby', '--db', db])).code,
    ).toBe(0);
    for (const [args, message] of [
      [['--kind', 'room', '--name', LONG], 'Ogiltiga uppgifter: Högst 200 tecken. (name)'],
      [['--kind', 'room', '--name', 'Provrum\n1'], 'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken. (name)'],
      [
        ['--kind', 'clinician', '--name', 'Anna Berg', '--profession', 'lakare', '--title', LONG],
        'Ogiltiga uppgifter: Högst 200 tecken. (title)',
      ],
    ] as const) {
      const r = await runTidbok(['resources', 'add', ...args, '--db', db]);
      expect({ args, code: r.code, out: r.out, err: r.err }).toEqual({ args, code: 2, out: '', err: `tidbok: ${message}\n` });
    }
    expect(held(db).resources).toEqual([]);
    const ok = await runTidbok(['resources', 'add', '--kind', 'room', '--name', 'Provrum 1', '--db', db]);
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/^[0-9a-f-]{36} {2}Provrum 1 är tillagd\.\n$/) });
    const off = await runTidbok(['resources', 'deactivate', 'Provrum 1', '--db', db]);
    expect(off).toMatchObject({
      code: 0,
      out: 'Provrum 1 är inaktiverad: 0 kommande lediga tider borttagna, 0 schemamallar inaktiverade.\n',
    });
  });

  it('the api holds the unit to the same rules when it is created or renamed', async () => {
    const { ctx } = openTestDb();
    const env = { ctx, caller: testCaller(['admin']), shell: 'web' as const };
    expect(await dispatch(env, 'unit.create', { hsaId: 'SE2321000016-NRBY', name: 'VC\u200BNorrby' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken.' },
    });
    expect(await dispatch(env, 'unit.create', { hsaId: 'SE2321000016-NRBY', name: 'VC Norrby' })).toMatchObject({ ok: true });
    expect(await dispatch(env, 'unit.update', { name: 'VC\tNorrby' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'Ogiltiga uppgifter: Namnet får inte innehålla styrtecken.' },
    });
  });
});
