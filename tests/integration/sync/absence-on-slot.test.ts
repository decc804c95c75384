// Which absence blocked a slot travels on its FHIR Slot (`slot-absence`), so another desk of the
// unit links a pulled block to that absence by id, and a slot blocked by hand with the same reason
// text ("Kurs") stays a hand block there: withdrawing the absence, on either desk, opens only the
// absence's slots. A Slot from a desk older than the extension is still linked by its reason.
// Two desk databases and the real stand-in central over HTTP; every change through the api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import type { Central } from '../../../src-main/demo/central/server.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { ifMatch } from '../../../src-main/sync/central-api.ts';
import { EXT, ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { api, type SmallUnit } from './helpers.ts';
import { settleDesks, staffOk, startTwoDesksWithMorningTemplate, type TwoDesks } from './desk-staff.ts';

const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const sync = (...desks: ServiceContext[]) => settleDesks(central.url, ...desks);
const slotAt = (ctx: ServiceContext, iso: string) =>
  ctx.db
    .prepare(`SELECT id FROM slots WHERE resource_id = ? AND start_at = ? AND state <> 'removed'`)
    .pluck()
    .get(unit.resourceIds[0]!, Date.parse(iso)) as string;
/** The day's slots 08:00–12:00 as `HH:MM state absence|-`. */
function day(ctx: ServiceContext, date: string, absences: Record<string, string>): string[] {
  const rows = ctx.db
    .prepare(
      `SELECT start_at, state, absence_id FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ? AND start_at < ?
        ORDER BY start_at`,
    )
    .all(unit.resourceIds[0]!, Date.parse(`${date}T00:00:00+01:00`), Date.parse(`${date}T23:59:00+01:00`)) as {
    start_at: number;
    state: string;
    absence_id: string | null;
  }[];
  const hhmm = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(11, 16);
  return rows.map((r) => `${hhmm(r.start_at)} ${r.state} ${r.absence_id ? absences[r.absence_id] : '-'}`);
}
async function courseWithHandBlock(date: string) {
  // 10:00 blocked by hand first, for a course of one's own; then the unit's course day over it.
  await staffOk(a, 'slots.block', { id: slotAt(a, `${date}T10:00:00+01:00`), reason: 'Kurs' });
  const r = await staffOk(a, 'absences.create', {
    resourceId: unit.resourceIds[0]!,
    from: date,
    fromTime: '09:00',
    to: date,
    toTime: '11:00',
    reason: 'Kurs',
  });
  return r.absence.id;
}
const expected = (blocked: 'blocked' | 'open') => [
  '08:00 open -',
  '08:30 open -',
  `09:00 ${blocked} ${blocked === 'blocked' ? 'kurs' : '-'}`,
  `09:30 ${blocked} ${blocked === 'blocked' ? 'kurs' : '-'}`,
  '10:00 blocked -',
  `10:30 ${blocked} ${blocked === 'blocked' ? 'kurs' : '-'}`,
  '11:00 open -',
  '11:30 open -',
];

let desks: TwoDesks;
beforeAll(async () => {
  desks = await startTwoDesksWithMorningTemplate(() => NOW, 1);
  ({ central, a, b, unit } = desks);
});

afterAll(() => desks.close());

describe('an absence and a hand block with the same reason, on another desk', () => {
  it('desk B links the absence’s slots to it and leaves the hand block a hand block; withdrawn on A, B opens only those', async () => {
    const kurs = await courseWithHandBlock('2026-11-25');
    await sync(a, b);
    const names = { [kurs]: 'kurs' };
    expect(day(a, '2026-11-25', names)).toEqual(expected('blocked'));
    expect(day(b, '2026-11-25', names)).toEqual(expected('blocked'));
    // On central the Slot says who blocked it.
    const onCentral = async (iso: string) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, slotAt(a, iso)))!;
    const ext = (s: Slot) => s.extension?.find((e) => e.url === EXT.slotAbsence);
    expect(ext(await onCentral('2026-11-25T09:00:00+01:00'))?.valueReference?.identifier).toEqual({
      system: ID_SYSTEM,
      value: kurs,
    });
    expect(ext(await onCentral('2026-11-25T10:00:00+01:00'))?.valueCode).toBe('manual');

    await staffOk(a, 'absences.withdraw', { id: kurs });
    await sync(a, b);
    expect(day(a, '2026-11-25', names)).toEqual(expected('open'));
    expect(day(b, '2026-11-25', names)).toEqual(expected('open'));
  });

  it('withdrawn on desk B: B opens only the absence’s slots, and A follows', async () => {
    const kurs = await courseWithHandBlock('2026-11-26');
    await sync(a, b);
    const names = { [kurs]: 'kurs' };
    expect(day(b, '2026-11-26', names)).toEqual(expected('blocked'));
    await staffOk(b, 'absences.withdraw', { id: kurs });
    expect(day(b, '2026-11-26', names)).toEqual(expected('open'));
    await sync(b, a);
    expect(day(a, '2026-11-26', names)).toEqual(expected('open'));
  });

  it('a blocked Slot without the extension (a desk older than it) is still linked by its reason', async () => {
    const kurs = await courseWithHandBlock('2026-11-27');
    await sync(a);
    const central0 = api(central.url);
    const s = (await central0.byIdentifier<Slot>('Slot', ID_SYSTEM, slotAt(a, '2026-11-27T09:30:00+01:00')))!;
    await central0.transaction([
      {
        resource: { ...s, extension: (s.extension ?? []).filter((e) => e.url !== EXT.slotAbsence) },
        request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: ifMatch(s.meta!.versionId!) },
      },
    ]);
    await sync(b);
    expect(day(b, '2026-11-27', { [kurs]: 'kurs' })).toEqual(expected('blocked'));
    await sync(a);
  });
});
