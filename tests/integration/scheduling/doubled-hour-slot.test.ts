// One slot across the autumn change itself, through the api on fresh units in real SQLite files:
// 02:40 sommartid to 02:10 vintertid on 2026-10-25 is 30 real minutes (00:40Z–01:10Z), though
// the end reads earlier on the clock than the start. Summer time ends at 03:00 CEST = 01:00Z.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { clockUnit } from './helpers.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

async function freshUnit() {
  const { api, dag, type, patient } = await clockUnit(
    '2026-10-19T07:00:00+02:00',
    { hsaId: 'SE2321000016-DUB1', name: 'Jourmottagningen Omställning' },
    { code: 'NATT30', nameSv: 'Nattbesök', nameEn: 'Night visit', durationMin: 30 },
  );
  const slot = (startTime: string, endTime: string, over: Record<string, unknown> = {}) => ({
    resourceId: dag.id,
    date: '2026-10-25',
    startTime,
    endTime,
    appointmentTypeIds: [type.id],
    ...over,
  });
  return { api, type, patient, slot, dag };
}

describe('a slot from the first pass of the doubled hour into the second', () => {
  it('02:40 sommartid – 02:10 vintertid is 30 real minutes, with the start named, both named, or neither', async () => {
    for (const over of [{ utcOffset: '+02:00' }, { utcOffset: '+02:00', endUtcOffset: '+01:00' }, {}]) {
      const { api, slot } = await freshUnit();
      const s = await api.ok('slots.create', slot('02:40', '02:10', over));
      expect([s.startAt, s.endAt, (s.endAt - s.startAt) / MIN]).toEqual([
        at('2026-10-25T00:40:00Z'),
        at('2026-10-25T01:10:00Z'),
        30,
      ]);
      expect(await api.ok('slots.get', { id: s.id })).toMatchObject({ startAt: s.startAt, endAt: s.endAt });
    }
  });

  it('holds its real time: a 30-minute visit books into it, and only times really overlapping it are refused', async () => {
    const { api, slot, type, patient } = await freshUnit();
    const s = await api.ok('slots.create', slot('02:40', '02:10', { utcOffset: '+02:00' }));
    // 02:20–02:50 sommartid (00:20Z–00:50Z) and 02:00–02:30 vintertid (01:00Z–01:30Z) overlap it.
    expect(await api.err('slots.create', slot('02:20', '02:50', { utcOffset: '+02:00' }))).toMatchObject({ code: 'conflict' });
    expect(await api.err('slots.create', slot('02:00', '02:30', { utcOffset: '+01:00' }))).toMatchObject({ code: 'conflict' });
    // 02:00–02:40 sommartid (00:00Z–00:40Z) ends where it starts.
    await api.ok('slots.create', slot('02:00', '02:40', { utcOffset: '+02:00' }));
    // 02:10–02:40 vintertid (01:10Z–01:40Z) starts where it ends.
    const after = await api.ok('slots.create', slot('02:10', '02:40', { utcOffset: '+01:00' }));
    expect([after.startAt, after.endAt]).toEqual([at('2026-10-25T01:10:00Z'), at('2026-10-25T01:40:00Z')]);
    const booking = await api.ok('bookings.book', {
      slotId: s.id,
      patientId: patient.id,
      appointmentTypeId: type.id,
      contactMode: 'physical',
      channel: 'desk',
    });
    expect([booking.startAt, booking.endAt]).toEqual([s.startAt, s.endAt]);
  });

  it('the end’s pass can be named: 02:10 sommartid – 02:40 vintertid is 90 minutes', async () => {
    const { api, slot } = await freshUnit();
    const s = await api.ok('slots.create', slot('02:10', '02:40', { utcOffset: '+02:00', endUtcOffset: '+01:00' }));
    expect([s.startAt, s.endAt]).toEqual([at('2026-10-25T00:10:00Z'), at('2026-10-25T01:40:00Z')]);
    // Only the end in the doubled hour: endUtcOffset names it as utcOffset always did.
    const { api: api2, slot: slot2 } = await freshUnit();
    const late = await api2.ok('slots.create', slot2('01:30', '02:30', { endUtcOffset: '+01:00' }));
    expect((late.endAt - late.startAt) / MIN).toBe(120);
  });

  it('refuses, in Swedish, an end that would come before its start or a pass the time does not have', async () => {
    const { api, slot } = await freshUnit();
    // 02:40 vintertid is after every 02:10.
    expect(await api.err('slots.create', slot('02:40', '02:10', { utcOffset: '+01:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(
        /^Sluttiden 02:10 \(vintertid, andra gången\) är inte efter starttiden 02:40 \(vintertid, andra gången\)\. En tid över omställningen/,
      ),
    });
    expect(await api.err('slots.create', slot('02:40', '02:10', { endUtcOffset: '+02:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/^Sluttiden 02:10 \(sommartid, första gången\) är inte efter starttiden 02:40 \(sommartid/),
    });
    expect(await api.err('slots.create', slot('02:40', '03:10', { endUtcOffset: '+01:00' }))).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/^Klockan 03:10 visas bara en gång 2026-10-25/),
    });
    // Another night, 02:40–02:10 is still a time over midnight.
    expect(await api.err('slots.create', { ...slot('02:40', '02:10'), date: '2026-10-26' })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Sluttiden måste vara efter starttiden|över midnatt/),
    });
    expect(api.count(`SELECT count(*) AS n FROM slots`)).toBe(0);
  });

  it('exports with its instants and prints on the day list from 02:40 to 02:10, summer into winter time', async () => {
    const { api, slot, dag } = await freshUnit();
    const s = await api.ok('slots.create', slot('02:40', '02:10'));
    const exported = async (format: 'csv' | 'pdf') =>
      Buffer.from(
        (
          await api.ok(
            'export.create',
            { format, from: '2026-10-25', to: '2026-10-25', content: 'both', patientData: 'full', resourceIds: [dag.id] },
            ['admin'],
          )
        ).base64,
        'base64',
      );
    const rows = parse(await exported('csv'), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['Tid-id'], r['Start (ISO 8601)'], r['Slut (ISO 8601)']])).toEqual([
      [s.id, '2026-10-25T02:40:00+02:00', '2026-10-25T02:10:00+01:00'],
    ]);
    const file = join(dirname(api.path), 'across.pdf');
    writeFileSync(file, await exported('pdf'));
    const lines = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\n');
    const at = lines.findIndex((l, i) => l.trimStart().startsWith('02:40') && lines[i + 1]?.includes('till 02:10'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 2]!.trim().split(/\s{2,}/)[0]).toBe('sommar–vintertid');
  });
});
