// The desk from the command line (cli/bookings.ts): patients add, bookings book/cancel/rebook/
// mark/show/list, slots add/block/unblock/remove on a real demo database. Expectations come from
// the rules (one active booking a slot, cut-offs with a logged override, atomic rebooking,
// identity numbers in any accepted form), not from Tidbok's output. Two real processes booking the
// same slot at once show that the command line is serialised like two desks.
import { beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src-main/domain/personnummer.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { CLI_NOW, runTidbok, spawnTidbok } from '../../helpers/cli-process.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const cli = (args: string[], now = CLI_NOW) => runTidbok(args, now);

/** A valid 10-digit personnummer for YYMMDD and serial, with `sep`. */
const pnr = (yymmdd: string, serial: string, sep = '-') => `${yymmdd}${sep}${serial}${luhnCheckDigit(yymmdd + serial)}`;

let db: string;
const json = async <T>(args: string[], now?: string): Promise<T> => {
  const r = await cli([...args, '--db', db, '--json'], now);
  if (r.code !== 0) throw new Error(`tidbok ${args.join(' ')}: ${r.code} ${r.err}`);
  return JSON.parse(r.out) as T;
};
const run = (args: string[], now?: string) => cli([...args, '--db', db], now);
/** The first `n` free LAKBES slots of one clinician (Erik Johansson, läkare), from `from`. */
const free = async (n: number, from = '2026-11-30') =>
  (
    await json<{ slotId: string; startAt: number }[]>([
      'slots',
      'free',
      '--type',
      'LAKBES',
      '--resource',
      'Erik Johansson',
      '--from',
      from,
      '--limit',
      String(n),
    ])
  ).map((s) => s.slotId);

interface CliBooking {
  id: string;
  slotId: string;
  status: string;
  channel: string;
  contactMode: string;
  rebookedFrom: string | null;
  rebookedTo: string | null;
  patient: { id: string; identityNumber: string };
}

beforeAll(async () => {
  db = tempDbPath();
  expect((await cli(['demo', 'seed', '--db', db])).code).toBe(0);
  // The demo lays out two weeks; an admin lays out the unit's horizon (12 weeks) as the app does.
  expect((await cli(['templates', 'expand', '--db', db])).code).toBe(0);
});

describe('patients add and booking by identity number in any accepted form', () => {
  it('registers once, finds the patient by 10 or 12 digits with - or none, and refuses a wrong check digit', async () => {
    const number = pnr('811218', '987');
    const added = await json<{ id: string; identityNumber: string }>([
      'patients',
      'add',
      '--number',
      number,
      '--given',
      'Åsa',
      '--family',
      'Öberg-Ängström',
    ]);
    expect(added.identityNumber).toBe(`19${number.replace('-', '')}`);
    // The same person again: refused (one patient per number), nothing changed.
    const again = await run(['patients', 'add', '--number', `19${number}`, '--given', 'Åsa', '--family', 'Öberg']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/finns redan/);

    const [a, b, c] = await free(3);
    const forms = [`19${number.replace('-', '')}`, number.replace('-', ''), `19${number}`];
    const booked: CliBooking[] = [];
    for (const [i, slot] of [a, b, c].entries()) {
      booked.push(await json<CliBooking>(['bookings', 'book', '--slot', slot!, '--patient', forms[i]!, '--type', 'lakbes']));
    }
    expect(booked.map((x) => x.patient.id)).toEqual([added.id, added.id, added.id]);
    expect(booked.map((x) => [x.status, x.channel, x.contactMode])).toEqual(Array(3).fill(['booked', 'desk', 'physical']));

    const wrong = number.slice(0, -1) + String((Number(number.at(-1)) + 1) % 10);
    const refused = await run(['bookings', 'book', '--slot', a!, '--patient', wrong, '--type', 'LAKBES']);
    expect([refused.code, refused.err]).toEqual([2, 'tidbok: Kontrollsiffran stämmer inte. Kontrollera personnumret.\n']);
    // A valid number nobody has: said so, with the way to add them.
    const nobody = await run(['bookings', 'book', '--slot', a!, '--patient', pnr('900101', '123'), '--type', 'LAKBES']);
    expect([nobody.code, nobody.err]).toEqual([
      2,
      expect.stringMatching(/Ingen patient har nummer 19900101-123\d .*patients add/),
    ]);
  });
});

describe('a patient of a hundred, her number typed without the +', () => {
  it('is booked and her log extract found, as the patient search finds her, when nobody holds the digits this century', async () => {
    // Born 31 December 1925: 100 years old; "251231-…" with a '-' reads as born 2025.
    const ten = pnr('251231', '942');
    const added = await json<{ id: string; identityNumber: string }>([
      'patients',
      'add',
      '--number',
      ten.replace('-', '+'),
      '--given',
      'Elsa',
      '--family',
      'Hundraårsdotter',
    ]);
    expect(added.identityNumber).toBe(`19${ten.replace('-', '')}`);
    const [slot] = await free(1, '2026-12-07');
    const booked = await json<CliBooking>(['bookings', 'book', '--slot', slot!, '--patient', ten, '--type', 'LAKBES']);
    expect(booked.patient.id).toBe(added.id);
    const extract = await run(['audit', 'extract', '--patient', ten]);
    expect([extract.code, extract.err]).toEqual([0, '']);
    // Her registration, the booking's read and its change, at least.
    expect(extract.out.trim().split('\n').length).toBeGreaterThanOrEqual(4);
  });
});

describe('bookings: the desk rules at the command line', () => {
  it('refuses a second booking of a slot, rebooks atomically, marks, and cancels with the type’s reason rules', async () => {
    const [first, second, third] = await free(3, '2026-12-07');
    const p1 = pnr('650101', '238');
    const p2 = pnr('700202', '239');
    for (const [n, given] of [
      [p1, 'Karin'],
      [p2, 'Olle'],
    ] as const) {
      expect((await run(['patients', 'add', '--number', n, '--given', given, '--family', 'Test'])).code).toBe(0);
    }
    const phone = await run(['bookings', 'book', '--slot', first!, '--patient', p1, '--type', 'LAKBES', '--mode', 'phone']);
    expect([phone.code, phone.err]).toEqual([2, 'tidbok: Läkarbesök erbjuds inte som telefonsamtal, bara som fysiskt besök.\n']);
    const booking = await json<CliBooking>(['bookings', 'book', '--slot', first!, '--patient', p1, '--type', 'LAKBES']);
    expect(booking.contactMode).toBe('physical');
    const taken = await run(['bookings', 'book', '--slot', first!, '--patient', p2, '--type', 'LAKBES']);
    expect([taken.code, taken.err]).toEqual([2, 'tidbok: Tiden är redan bokad.\n']);

    const moved = await json<{ old: CliBooking; new: CliBooking }>(['bookings', 'rebook', booking.id, '--slot', second!]);
    expect(moved.old).toMatchObject({ id: booking.id, status: 'rebooked', rebookedTo: moved.new.id });
    expect(moved.new).toMatchObject({ slotId: second, status: 'booked', rebookedFrom: booking.id, contactMode: 'physical' });
    expect(moved.new.patient.id).toBe(booking.patient.id);
    // The freed time is bookable again, for someone else.
    expect((await run(['bookings', 'book', '--slot', first!, '--patient', p2, '--type', 'LAKBES'])).code).toBe(0);

    // A mark waits for the day of the visit: Monday 7 December is still ahead on 23 November.
    const early = await run(['bookings', 'mark', moved.new.id, 'no-show']);
    expect(early.code).toBe(2);
    expect(early.err).toBe('tidbok: Ett besök kan markeras först den dag det äger rum.\n');
    const bad = await run(['bookings', 'mark', moved.new.id, 'gone']);
    expect([bad.code, bad.err]).toEqual([2, 'tidbok: status ska vara arrived, no-show, completed eller booked, inte "gone".\n']);

    const cancelled = await json<CliBooking>(['bookings', 'cancel', moved.new.id, '--reason-text', 'Patienten frisk']);
    expect(cancelled.status).toBe('cancelled');
    const twice = await run(['bookings', 'cancel', moved.new.id]);
    expect(twice.code).toBe(2);
    expect((await json<CliBooking>(['bookings', 'book', '--slot', third!, '--patient', p1, '--type', 'LAKBES'])).status).toBe(
      'booked',
    );
  });

  it('needs a logged override past the 24-hour cut-off, and says when the patient may still act online', async () => {
    const [slot] = await free(1, '2026-11-24');
    const p = pnr('550505', '240');
    expect((await run(['patients', 'add', '--number', p, '--given', 'Sven', '--family', 'Sent'])).code).toBe(0);
    const b = await json<CliBooking & { startAt: number }>([
      'bookings',
      'book',
      '--slot',
      slot!,
      '--patient',
      p,
      '--type',
      'LAKBES',
    ]);
    // Booked for Tuesday; the cut-off is 24 hours before, so by Tuesday 07:00 it has passed.
    const tuesday = '2026-11-24T07:00:00+01:00';
    const shown = await cli(['bookings', 'show', b.id, '--db', db], tuesday);
    expect(shown.out).toMatch(/Avboka på webben: nej, sista tidpunkt 2026-11-23 \d\d:\d\d har passerat/);
    const late = await cli(['bookings', 'cancel', b.id, '--db', db], tuesday);
    expect([late.code, late.err]).toEqual([2, expect.stringMatching(/senast 24 timmar före besöket.*åsidosättning/)]);
    const tooShort = await cli(['bookings', 'cancel', b.id, '--override', 'ok', '--db', db], tuesday);
    expect([tooShort.code, tooShort.err]).toEqual([2, expect.stringMatching(/Ange varför regeln åsidosätts/)]);
    const overridden = await cli(['bookings', 'cancel', b.id, '--override', 'Patienten ringde sjuk', '--db', db], tuesday);
    expect(overridden.code).toBe(0);
    // The override is in the audit trail with its reason.
    const conn = openDatabase(db);
    try {
      const detail = conn
        .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND detail LIKE '%override%' ORDER BY rowid DESC LIMIT 1`)
        .pluck()
        .get(b.id) as string | undefined;
      expect(detail).toContain('Patienten ringde sjuk');
    } finally {
      conn.close();
    }
  });

  it('lists a day’s bookings by a hyphenated patient name and refuses bad options clearly', async () => {
    const list = await run(['bookings', 'list', '--from', '2026-11-30', '--to', '2026-12-31', '--patient', 'öberg-ängström']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n').filter((l) => l.includes('Åsa Öberg-Ängström'))).toHaveLength(3);
    for (const [args, message] of [
      [['--from', '2026-12-31', '--to', '2026-12-01'], /--to \(2026-12-01\) ligger före --from/],
      [['--from', '2026-02-30'], /datumet 2026-02-30 finns inte/],
      [['--from', '2026-12-01', '--status', 'booked,lost'], /okänd status "lost"/],
      [['--from', '2026-12-01', '--limit', '0'], /--limit ska vara ett heltal 1–500/],
    ] as const) {
      const r = await run(['bookings', 'list', ...args]);
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
    const web = await run([
      'bookings',
      'book',
      '--slot',
      '01a2008d-7400-7000-8004-80ec6df1a249',
      '--patient',
      'x',
      '--type',
      'LAKBES',
      '--channel',
      'web',
    ]);
    expect([web.code, web.err]).toEqual([2, expect.stringMatching(/--channel ska vara desk eller phone.*synk/)]);
  });
});

describe('slots at the command line', () => {
  it('adds a slot on the wall clock, refuses a day gone by and an overlap, blocks, unblocks and removes it', async () => {
    const add = (date: string, start: string, end: string) =>
      run([
        'slots',
        'add',
        '--resource',
        'Erik Johansson',
        '--date',
        date,
        '--start',
        start,
        '--end',
        end,
        '--types',
        'LAKBES',
        '--json',
      ]);
    // Sunday 28 March 2027 springs forward at 02:00: 03:00–03:30 local (CEST) is 01:00–01:30 UTC.
    const spring = await add('2027-03-28', '03:00', '03:30');
    expect(spring.code).toBe(0);
    const slot = JSON.parse(spring.out) as { id: string; startAt: number; endAt: number; state: string };
    expect([new Date(slot.startAt).toISOString(), (slot.endAt - slot.startAt) / 60_000]).toEqual([
      '2027-03-28T01:00:00.000Z',
      30,
    ]);
    const skipped = await add('2027-03-28', '02:15', '02:45');
    expect([skipped.code, skipped.err]).toEqual([2, expect.stringMatching(/02:15 finns inte 2027-03-28/)]);
    const gone = await add('2026-11-20', '10:00', '10:30');
    expect([gone.code, gone.err]).toEqual([2, expect.stringMatching(/2026-11-20 har redan varit/)]);
    const overlap = await add('2027-03-28', '03:15', '03:45');
    expect([overlap.code, overlap.err]).toEqual([2, expect.stringMatching(/överlappar/)]);

    const blocked = await run(['slots', 'block', slot.id, '--reason', 'Möte', '--json']);
    expect(JSON.parse(blocked.out)).toMatchObject({ state: 'blocked', blockReason: 'Möte' });
    expect(JSON.parse((await run(['slots', 'unblock', slot.id, '--json'])).out)).toMatchObject({ state: 'open' });
    expect((await run(['slots', 'remove', slot.id])).out).toMatch(/^Borttagen /);
    const bad = await run(['slots', 'block', 'not-an-id']);
    expect([bad.code, bad.err]).toEqual([2, 'tidbok: slot-id ska vara ett id (uuid), inte "not-an-id".\n']);
  });
});

describe('two processes at once', () => {
  it('books one slot for exactly one of two patients booking it at the same moment', async () => {
    const [slot] = await free(1, '2026-12-14');
    const a = pnr('800808', '241');
    const b = pnr('820909', '242');
    for (const n of [a, b])
      expect((await run(['patients', 'add', '--number', n, '--given', 'Samtidig', '--family', 'Test'])).code).toBe(0);
    const both = await Promise.all(
      [a, b].map((p) => spawnTidbok(['bookings', 'book', '--slot', slot!, '--patient', p, '--type', 'LAKBES', '--db', db])),
    );
    expect(both.map((r) => r.code).sort()).toEqual([0, 2]);
    expect(both.find((r) => r.code === 2)!.err).toContain('Tiden är redan bokad.');
    const conn = openDatabase(db);
    try {
      const active = conn
        .prepare(`SELECT count(*) FROM bookings WHERE slot_id = ? AND status IN ('preliminary', 'booked')`)
        .pluck()
        .get(slot) as number;
      expect(active).toBe(1);
    } finally {
      conn.close();
    }
  }, 30_000);
});
