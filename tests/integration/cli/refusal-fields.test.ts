// A refusal from tidbok names each wrong field with its own reason. The api answers every field
// zod found (details.issues), but the command line printed the first field's message with all the
// fields after it, so "--every 99 --slot 0" read as if the slot length had to be at most 52, and
// "--weekdays 0-8" as if Sunday's 8 had to be at least 1. A range written backwards ("7-1") laid
// no day and was answered "choose at least one weekday". Found by an outside probe.
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../helpers/temp-db.ts';
import { CLI_NOW, runTidbok } from '../../helpers/cli-process.ts';

describe('tidbok templates preview with more than one wrong field', () => {
  const { path, db } = openTestDb({ demo: true });
  db.close();
  const preview = (...args: string[]) =>
    runTidbok(
      [
        'templates',
        'preview',
        '--resource',
        'Anna Lindqvist',
        '--types',
        'LAKBES',
        '--weekdays',
        '1',
        '--start',
        '08:00',
        '--end',
        '09:00',
        '--slot',
        '30',
        ...args,
        '--db',
        path,
      ],
      CLI_NOW,
    );

  it.each([
    [
      ['--every', '99', '--slot', '0'],
      'tidbok: Ogiltiga uppgifter: Var n:e vecka: Värdet får vara högst 52. (template.everyNWeeks) Tidslängd (minuter): Värdet måste vara minst 5. (template.slotMin)',
    ],
    [['--weekdays', '0-8'], 'tidbok: --weekdays ska ange veckodagar 1 (måndag) – 7 (söndag), som 1,2,3 eller 1-5, inte "0-8".'],
    [
      ['--weekdays', '7-1'],
      'tidbok: --weekdays: intervallet 7-1 går baklänges; skriv den första dagen först (1-7), eller söndag och måndag som 7,1.',
    ],
    // A start that is no time at all is that one wrong field, not also an end before it.
    [['--start', '8'], 'tidbok: Ogiltiga uppgifter: Från kl.: Tid ska skrivas TT:MM. (template.startTime)'],
    // One reason for several fields stays one sentence naming them.
    [
      ['--weekdays', '1,1', '--start', '8'],
      'tidbok: Ogiltiga uppgifter: Veckodagar får inte upprepas. (template.weekdays) Från kl.: Tid ska skrivas TT:MM. (template.startTime)',
    ],
  ])('%j exits 2 naming each field with its reason', async (args, message) => {
    const r = await preview(...args);
    expect([r.code, r.out, r.err.trim()]).toEqual([2, '', message]);
  });

  it('still takes a range written forwards and a wrapped week written as two days', async () => {
    for (const weekdays of ['1-5', '7,1', '1-3,5']) {
      const r = await preview('--weekdays', weekdays, '--json');
      expect([weekdays, r.code, r.err]).toEqual([weekdays, 0, '']);
    }
  });
});
