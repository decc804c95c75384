// A template ending 24:00 (the next midnight) made on desk A reaches desk B through the real
// stand-in central (its end travels as FHIR time 00:00:00, mapping.ts), is stored on B as 24:00,
// and B's horizon lays out A's slots, the last of each evening ending at local midnight. Two desk
// databases in a temp dir and central over HTTP; every change through the api as staff make it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Basic } from '@medplum/fhirtypes';
import type { Central } from '../../../src-main/demo/central/server.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { expandTemplates } from '../../../src-main/services/templates.ts';
import { api, type SmallUnit, weekdayTemplate } from './helpers.ts';
import { planningStaff, settleDesks, staffOk, startTwoDesks, type TwoDesks } from './desk-staff.ts';

// Monday morning; the template starts today and runs every day.
const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const sync = (...desks: ServiceContext[]) => settleDesks(central.url, ...desks);
const evenings = (ctx: ServiceContext, templateId: string) =>
  ctx.db
    .prepare(`SELECT id, start_at, end_at FROM slots WHERE template_id = ? AND state <> 'removed' ORDER BY start_at`)
    .all(templateId) as { id: string; start_at: number; end_at: number }[];

let desks: TwoDesks;
beforeAll(async () => {
  desks = await startTwoDesks({ now: () => NOW, patients: 0 });
  ({ central, a, b, unit } = desks);
});

afterAll(() => desks.close());

describe('a template until midnight across desks', () => {
  it('20:00–24:00 by 60 minutes: central holds a valid end of 00:00:00, B keeps 24:00 and lays out A’s slots', async () => {
    const created = await staffOk(a, 'templates.create', {
      template: weekdayTemplate(unit.resourceIds[0]!, [unit.typeIds.lakbes], {
        name: 'Kvällsjour',
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        startTime: '20:00',
        endTime: '24:00',
        slotMin: 60,
      }),
      horizonWeeks: 1,
    });
    await sync(a);
    const [basic] = await api(central.url).searchAll<Basic>('Basic', { _count: '100' });
    const end = basic!.extension![0]!.extension!.find((e) => e.url === 'endTime');
    expect(end?.valueTime).toBe('00:00:00');

    await sync(b);
    expect(await staffOk(b, 'templates.get', { id: created.template.id })).toMatchObject({
      startTime: '20:00',
      endTime: '24:00',
    });
    expandTemplates(a, planningStaff, { horizonWeeks: 2 });
    expandTemplates(b, planningStaff, { horizonWeeks: 2 });
    await sync(a, b, a);
    expect(evenings(b, created.template.id)).toEqual(evenings(a, created.template.id));
    // Two weeks of evenings from Monday 23 November (CET, +01:00): 23:00–24:00 is 22:00–23:00Z.
    const slots = evenings(b, created.template.id);
    expect(slots).toHaveLength(14 * 4);
    const last = slots.at(-1)!;
    expect([new Date(last.start_at).toISOString(), new Date(last.end_at).toISOString()]).toEqual([
      '2026-12-06T22:00:00.000Z',
      '2026-12-06T23:00:00.000Z',
    ]);
  });
});
