// `tidbok patients add` with a reserve number but without --reserve: refused (a reserve number
// needs the explicit flag), and the refusal says so, instead of only that a personnummer holds
// digits (an outside probe could not tell from the message what was missing). A number that is
// not even a reserve number gets no such hint.
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../helpers/temp-db.ts';
import { runTidbok } from '../../helpers/cli-process.ts';

const HINT = ' Är det ett reservnummer? Lägg till --reserve.';

describe('tidbok patients add and reserve numbers', () => {
  const { path, db } = openTestDb({ demo: true });
  db.close();
  const add = (number: string, ...flags: string[]) =>
    runTidbok(['patients', 'add', '--number', number, '--given', 'Okänd', '--family', 'Patient', ...flags, '--db', path]);

  it.each([
    ['RES-2026-0002', 'Personnumret får bara innehålla siffrorna 0–9 och ett bindestreck (-) eller plustecken (+).'],
    // A wristband's personnummer-shaped number: its check digit fails by design.
    ['811218-9875', 'Kontrollsiffran stämmer inte. Kontrollera personnumret.'],
  ])('%s without --reserve: exit 2, the reason and the hint; with it, added', async (number, reason) => {
    expect(await add(number)).toEqual({ code: 2, out: '', err: `tidbok: ${reason}${HINT}\n` });
    expect(await add(number, '--reserve')).toMatchObject({ code: 0, err: '' });
  });

  it('no hint where the number is no reserve number either', async () => {
    expect(await add('12345')).toEqual({ code: 2, out: '', err: 'tidbok: Personnumret ska ha 10 eller 12 siffror, inte 5.\n' });
  });
});
