// "Första lediga tid" against a naive reference (demo unit, Monday 2026-11-23 09:10). The
// service walks the partial index slots_free per distinct type list and merges (migration
// 0005); the reference scans every slot and checks the bookings table directly. Both must give
// the same slots in the same order (start, then the resources' display order) after bookings,
// cancellations, rebookings, blocks and removals have moved the booked flag both ways.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import { addDays, startOfLocalDay } from '../../../src-main/domain/time.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { ACTIVE_BOOKING_STATUSES } from '../../../src-main/store/rows.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let types: AppointmentType[];
const byCode = (code: string) => types.find((t) => t.code === code)!;

interface Query {
  code: string;
  from: string;
  to: string;
  limit: number;
  webOnly?: boolean;
  profession?: string;
  resourceName?: string;
}

function reference(q: Query): string[] {
  const type = byCode(q.code);
  const resourceId = q.resourceName
    ? (api.ctx.db.prepare(`SELECT id FROM resources WHERE name = ?`).pluck().get(q.resourceName) as string)
    : null;
  return api.ctx.db
    .prepare(
      `SELECT s.id FROM slots s JOIN resources r ON r.id = s.resource_id
        WHERE s.state = 'open' AND r.active = 1
          AND EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) j WHERE j.value = @type)
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})
          AND (@web = 0 OR s.web_published = 1)
          AND (@professions = '[]' OR r.profession IN (SELECT value FROM json_each(@professions)))
          AND (@profession IS NULL OR r.profession = @profession)
          AND (@resourceId IS NULL OR s.resource_id = @resourceId)
          AND s.start_at >= @fromAt AND s.start_at < @toAt
        ORDER BY s.start_at, r.sort_order, s.resource_id
        LIMIT @limit`,
    )
    .pluck()
    .all({
      type: type.id,
      web: q.webOnly ? 1 : 0,
      professions: JSON.stringify(type.professions),
      profession: q.profession ?? null,
      resourceId,
      fromAt: startOfLocalDay(q.from),
      toAt: startOfLocalDay(addDays(q.to, 1)),
      limit: q.limit,
    }) as string[];
}

async function service(q: Query): Promise<string[]> {
  const resourceId = q.resourceName
    ? (api.ctx.db.prepare(`SELECT id FROM resources WHERE name = ?`).pluck().get(q.resourceName) as string)
    : undefined;
  const found = await api.ok('slots.findFree', {
    appointmentTypeId: byCode(q.code).id,
    from: q.from,
    to: q.to,
    limit: q.limit,
    ...(q.webOnly ? { webOnly: true } : {}),
    ...(q.profession ? { profession: q.profession } : {}),
    ...(resourceId ? { resourceId } : {}),
  });
  return found.map((f) => f.slotId);
}

const QUERIES: Query[] = [
  // LAKBES is offered in two type lists (["LAKBES"], ["LAKBES","LAKVID"]) by two doctors at the same times.
  { code: 'LAKBES', from: '2026-11-25', to: '2026-12-04', limit: 10 },
  { code: 'LAKBES', from: '2026-11-25', to: '2026-12-04', limit: 200 },
  { code: 'LAKBES', from: '2026-11-25', to: '2026-12-04', limit: 7, webOnly: true },
  { code: 'LAKBES', from: '2026-11-25', to: '2026-12-04', limit: 5, resourceName: 'Erik Johansson' },
  // VACC and TELE each sit in two lists of different resources and professions.
  { code: 'VACC', from: '2026-11-25', to: '2026-12-04', limit: 25 },
  { code: 'VACC', from: '2026-11-25', to: '2026-12-04', limit: 25, profession: 'sjukskoterska', webOnly: true },
  { code: 'TELE', from: '2026-11-25', to: '2026-12-04', limit: 40 },
  { code: 'LAKVID', from: '2026-11-26', to: '2026-11-27', limit: 200 },
  { code: 'PROV', from: '2026-11-25', to: '2026-11-25', limit: 3 },
];

beforeAll(async () => {
  api = demoApi();
  types = await api.ok('appointmentTypes.list', {});
  // Move the booked flag both ways: book, cancel, rebook, block, remove.
  const lakbes = byCode('LAKBES');
  const patients = await Promise.all(
    [0, 1, 2].map((i) =>
      api.ok('patients.create', {
        identityNumber: makeIdentityNumber(`1960-0${i + 1}-15`, 980 + i),
        givenName: 'Test',
        familyName: `Fri${i}`,
      }),
    ),
  );
  const first = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-25', limit: 6 });
  const booked = [];
  for (const [i, s] of first.slice(0, 3).entries()) {
    booked.push(await api.ok('bookings.book', { slotId: s.slotId, patientId: patients[i]!.id, appointmentTypeId: lakbes.id }));
  }
  await api.ok('bookings.cancel', { id: booked[0]!.id, reasonCode: 'SJUK' });
  await api.ok('bookings.rebook', { id: booked[1]!.id, slotId: first[3]!.slotId });
  await api.ok('slots.block', { id: first[4]!.slotId, reason: 'Möte' }, ['scheduler']);
  await api.ok('slots.remove', { id: first[5]!.slotId }, ['scheduler']);
});

describe('free-slot search', () => {
  it.each(QUERIES)('matches the naive reference: %o', async (q) => {
    const expected = reference(q);
    expect(expected.length, 'the reference finds something to compare').toBeGreaterThan(0);
    expect(await service(q)).toEqual(expected);
  });

  it('keeps slots.booked equal to "has an active booking" for every slot', () => {
    expect(
      api.count(
        `SELECT count(*) AS n FROM slots s
          WHERE s.booked IS NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})`,
      ),
    ).toBe(0);
  });
});
