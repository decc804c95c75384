// Adversarial check of schedule templates, single slots and the horizon (issue 3 items 2 and 3),
// through dispatch on real SQLite files: what a regional tester tries that the other tests do not.
// - fast-check: the preview is exactly what saving lays out (starts, ends, types, web flag, closed
//   days), and a random edit after random bookings and a moved clock leaves the past and the booked
//   slots as they were, reports exactly the booked future slots that no longer match, lays out the
//   new plan around them, keeps the ids of slots it changed in place, and stays idempotent;
// - two templates of one resource that overlap, rooms and equipment, types deactivated later;
// - single slots (add, block with a booking in it, remove) and the horizon setting.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { ExpansionReport, TemplateChange, TemplatePreview } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { addDays, localDate, localTime } from '../../../src-main/domain/time.ts';
import { templateNeverRuns } from '../../../src-main/domain/templates.ts';
import { openDatabase, type Db } from '../../../src-main/store/database.ts';
import { openTestDb, tempDbPath, testCaller } from '../../helpers/temp-db.ts';
import { apiResultAs, startShell } from '../../helpers/web-shell.ts';

const TZ = 'Europe/Stockholm';

/** A fresh unit on a real file: one physician, one room, one piece of equipment, three types, patients. */
async function setup(now: number) {
  const { ctx, db } = openTestDb({ now });
  const unitId = ctx.newId();
  db.prepare(`INSERT INTO units (id, hsa_id, name, updated_at) VALUES (?, 'SE2321000016-ADV1', 'Adv', 0)`).run(unitId);
  const call = async (method: string, input: unknown) => dispatch({ ctx, caller: testCaller(), shell: 'web' }, method, input);
  const must = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await call(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const refused = async (method: string, input: unknown) => {
    const r = await call(method, input);
    if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
    return r.error;
  };
  const resource = (kind: string, name: string, profession: string | null) =>
    must<{ id: string }>('resources.create', { kind, name, profession }).then((r) => r.id);
  const doctor = await resource('clinician', 'Doktor Adv', 'lakare');
  const room = await resource('room', 'Rum 4', null);
  const ecg = await resource('equipment', 'EKG-apparat', null);
  const type = (code: string, professions: string[], durationMin = 5) =>
    must<{ id: string }>('appointmentTypes.create', {
      code,
      nameSv: `Typ ${code}`,
      nameEn: code,
      durationMin,
      contactModes: ['physical'],
      professions,
      cancelCutoffH: 0,
      rebookCutoffH: 0,
    }).then((t) => t.id);
  const types = {
    lak: await type('LAK', ['lakare']),
    any: await type('PROV', []),
    lak30: await type('LAK30', ['lakare'], 30),
    lak20: await type('LAK20', ['lakare'], 20),
  };
  const patients: string[] = [];
  for (let i = 0; i < 8; i++) {
    const p = await must<{ id: string }>('patients.create', {
      identityNumber: makeIdentityNumber(`19${60 + i}-02-1${i}`, 700 + i),
      givenName: 'Pat',
      familyName: `Nummer${i}`,
    });
    patients.push(p.id);
  }
  const setNow = (t: number) => {
    ctx.now = () => t;
  };
  return { ctx, db, call, must, refused, doctor, room, ecg, types, patients, setNow };
}

interface SlotRow {
  id: string;
  start_at: number;
  end_at: number;
  state: string;
  appointment_type_ids: string;
  web_published: number;
  template_id: string | null;
  version: number;
}
const slotsOf = (db: Db, resourceId: string) =>
  db
    .prepare(
      `SELECT id, start_at, end_at, state, appointment_type_ids, web_published, template_id, version
         FROM slots WHERE resource_id = ? ORDER BY start_at, id`,
    )
    .all(resourceId) as SlotRow[];

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const overlap = (a: { start_at: number; end_at: number }, b: { startAt: number; endAt: number }) =>
  a.start_at < b.endAt && b.startAt < a.end_at;

// "now" on a Monday morning, a Wednesday afternoon in May and a Friday evening before the
// Christmas week: today's earlier times, holidays and eves fall inside the window.
const NOWS = ['2026-11-23T09:10:00+01:00', '2026-05-13T13:37:00+02:00', '2026-12-18T17:05:00+01:00'].map(Date.parse);

const templateArb = fc
  .record({
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    everyNWeeks: fc.integer({ min: 1, max: 3 }),
    fromOffset: fc.integer({ min: -20, max: 20 }),
    validDays: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    startMinute: fc.integer({ min: 0, max: 22 * 12 }).map((x) => x * 5),
    length: fc.integer({ min: 5, max: 9 * 60 }),
    // Lengths that divide a window and lengths that do not (7, 25, 45, 50, 95).
    slotMin: fc.constantFrom(5, 7, 10, 15, 20, 25, 30, 45, 50, 60, 95),
    typeSet: fc.constantFrom<('lak' | 'any')[]>(['lak'], ['any'], ['lak', 'any']),
    publishWeb: fc.boolean(),
    skipHolidays: fc.boolean(),
  })
  .map((t) => {
    const end = Math.min(t.startMinute + Math.max(t.length, t.slotMin), 23 * 60 + 59);
    return { ...t, endMinute: end, slotMin: Math.min(t.slotMin, end - t.startMinute) };
  })
  .filter((t) => t.slotMin >= 5);

type Env = Awaited<ReturnType<typeof setup>>;
type Arb = typeof templateArb extends fc.Arbitrary<infer T> ? T : never;

function templateInput(env: Env, t: Arb, today: string) {
  const validFrom = addDays(today, t.fromOffset);
  // A new template runs until today at least (one that ended before today is refused, tested below),
  // and on one of its days at least (one that never runs is refused: templates-calendar-edges):
  // a validity that misses every day of its rhythm is drawn again as one full rhythm and a week.
  const drawnTo = t.validDays === null ? null : [addDays(validFrom, t.validDays), today].sort()[1]!;
  const never = templateNeverRuns({ ...t, validFrom, validTo: drawnTo, startTime: '08:00', endTime: '09:00' });
  return {
    resourceId: env.doctor,
    name: 'Slumpmall',
    weekdays: t.weekdays,
    everyNWeeks: t.everyNWeeks,
    validFrom,
    validTo: never ? addDays(validFrom, 7 * t.everyNWeeks + 6) : drawnTo,
    startTime: hhmm(t.startMinute),
    endTime: hhmm(t.endMinute),
    slotMin: t.slotMin,
    appointmentTypeIds: t.typeSet.map((k) => env.types[k]),
    publishWeb: t.publishWeb,
    skipHolidays: t.skipHolidays,
  };
}

describe('preview against expansion (fast-check, real SQLite)', () => {
  it('saving lays out exactly the slots, types, web flag and closed days the preview showed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NOWS),
        templateArb,
        fc.option(templateArb, { nil: null }),
        fc.integer({ min: 1, max: 4 }),
        async (now, t, other, weeks) => {
          const env = await setup(now);
          const today = localDate(now, TZ);
          // Sometimes the resource already has another template's times, which saving lays nothing over.
          if (other) await env.must('templates.create', { template: templateInput(env, other, today), horizonWeeks: weeks });
          const othersTimes = new Set(slotsOf(env.db, env.doctor).map((s) => s.id));
          const input = templateInput(env, t, today);
          const { resourceId: _r, ...spec } = input;
          const preview = await env.must<TemplatePreview>('templates.preview', {
            template: { ...spec, resourceId: env.doctor },
            from: today,
            to: addDays(today, weeks * 7),
          });
          const { template, expansion } = await env.must<TemplateChange>('templates.create', {
            template: input,
            horizonWeeks: weeks,
          });
          const laid = slotsOf(env.db, env.doctor).filter((s) => s.state !== 'removed' && !othersTimes.has(s.id));
          const skipped = new Set(preview.overlapping.map((p) => p.startAt));
          const expected = preview.slots.filter((p) => !skipped.has(p.startAt));
          expect(laid.map((s) => [s.start_at, s.end_at])).toEqual(expected.map((p) => [p.startAt, p.endAt]));
          for (const s of laid) {
            expect(JSON.parse(s.appointment_type_ids)).toEqual(input.appointmentTypeIds);
            expect(s.web_published).toBe(input.publishWeb ? 1 : 0);
            expect(s.template_id).toBe(template.id);
            expect(s.start_at).toBeGreaterThanOrEqual(now);
          }
          expect(expansion).toMatchObject({ created: expected.length, skippedOverlaps: preview.overlapping.length });
          if (!other) expect(preview.overlapping).toEqual([]);
          expect(expansion.skippedHolidays).toEqual(preview.skipped);
          // Idempotent: the same again creates nothing and changes nothing.
          const before = slotsOf(env.db, env.doctor);
          const again = await env.must<ExpansionReport>('templates.expand', { templateIds: [template.id], horizonWeeks: weeks });
          expect(again.created).toBe(0);
          expect(slotsOf(env.db, env.doctor)).toEqual(before);
          env.db.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

/** Which of a template's settings one edit changes (times and slot length go together when the window moves). */
const editArb = fc.record({
  groups: fc.subarray(['times', 'slotMin', 'weekdays', 'types', 'web', 'validTo', 'validity', 'everyN'] as const, {
    minLength: 1,
  }),
  next: templateArb,
  bookings: fc.uniqueArray(fc.nat({ max: 400 }), { maxLength: 5 }),
  advanceMin: fc.integer({ min: 0, max: 3 * 24 * 60 }),
});

describe('editing a template (fast-check, real SQLite)', () => {
  const seen = { booked: 0, reported: 0, past: 0, updatedInPlace: 0, removed: 0, overlapsSkipped: 0 };
  it('touches no past or booked slot, reports exactly the booked ones that no longer match, lays the new plan around them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NOWS),
        templateArb,
        editArb,
        fc.integer({ min: 1, max: 3 }),
        async (now, t, edit, weeks) => {
          const env = await setup(now);
          const input = templateInput(env, t, localDate(now, TZ));
          const { template } = await env.must<TemplateChange>('templates.create', { template: input, horizonWeeks: weeks });
          // Book a few of its times, each for another patient.
          const open = slotsOf(env.db, env.doctor).filter((s) => s.state === 'open');
          const booked = new Set<string>();
          for (const [i, n] of edit.bookings.entries()) {
            const s = open[n % Math.max(open.length, 1)];
            if (!s || booked.has(s.id)) continue;
            await env.must('bookings.book', {
              slotId: s.id,
              patientId: env.patients[i],
              appointmentTypeId: JSON.parse(s.appointment_type_ids)[0],
              contactMode: 'physical',
            });
            booked.add(s.id);
          }
          // Time passes (up to three days): some of the slots, booked ones too, are now history.
          const now2 = now + edit.advanceMin * 60_000;
          env.setNow(now2);
          const today2 = localDate(now2, TZ);
          const before = slotsOf(env.db, env.doctor);

          const n = templateInput(env, edit.next, localDate(now, TZ));
          const changes: Record<string, unknown> = {};
          const g = new Set(edit.groups);
          if (g.has('times')) Object.assign(changes, { startTime: n.startTime, endTime: n.endTime, slotMin: n.slotMin });
          else if (g.has('slotMin')) changes.slotMin = Math.min(n.slotMin, t.endMinute - t.startMinute);
          if (g.has('weekdays')) changes.weekdays = n.weekdays;
          if (g.has('types')) changes.appointmentTypeIds = n.appointmentTypeIds;
          if (g.has('web')) changes.publishWeb = !input.publishWeb;
          if (g.has('validTo'))
            changes.validTo = edit.next.validDays === null ? null : addDays(input.validFrom, edit.next.validDays);
          if (g.has('validity')) Object.assign(changes, { validFrom: n.validFrom, validTo: n.validTo }); // moves the week rhythm too
          if (g.has('everyN')) changes.everyNWeeks = n.everyNWeeks;
          const after = { ...input, ...changes } as typeof input;
          const { resourceId: _r, ...spec } = after;
          const plan = (
            await env.must<TemplatePreview>('templates.preview', {
              template: spec,
              from: today2,
              to: addDays(today2, weeks * 7),
            })
          ).slots;
          // The edit's own preview (with the template's id) names the times what stays holds.
          const editPreview = await env.must<TemplatePreview>('templates.preview', {
            template: { ...spec, resourceId: env.doctor },
            templateId: template.id,
            from: today2,
            to: addDays(today2, weeks * 7),
          });
          const { expansion } = await env.must<TemplateChange>('templates.update', {
            id: template.id,
            changes,
            horizonWeeks: weeks,
          });
          const rows = slotsOf(env.db, env.doctor);
          const byId = new Map(rows.map((r) => [r.id, r]));
          const typesJson = JSON.stringify(after.appointmentTypeIds);
          const web = after.publishWeb ? 1 : 0;

          // The past (started before now) and every booked slot are exactly as they were.
          for (const s of before) if (s.start_at < now2 || booked.has(s.id)) expect(byId.get(s.id)).toEqual(s);
          // Reported: exactly the booked future slots the new template would lay out otherwise.
          const matches = (s: SlotRow) =>
            plan.some((p) => p.startAt === s.start_at && p.endAt === s.end_at) &&
            s.appointment_type_ids === typesJson &&
            s.web_published === web;
          const bookedFuture = before.filter((s) => booked.has(s.id) && s.start_at >= now2);
          expect(expansion.bookedUnchanged.map((x) => x.slotId).sort()).toEqual(
            bookedFuture
              .filter((s) => !matches(s))
              .map((s) => s.id)
              .sort(),
          );
          // Around what stays (booked, or already begun), the future is the new plan, with its types and web flag.
          const stays = before.filter(
            (s) => s.state !== 'removed' && (booked.has(s.id) || (s.start_at < now2 && s.end_at > now2)),
          );
          const expected = plan.filter((p) => !stays.some((s) => overlap(s, p)));
          expect(editPreview.slots).toEqual(plan);
          expect(editPreview.overlapping.map((p) => p.startAt)).toEqual(
            plan
              .filter(
                (p) =>
                  !expected.includes(p) &&
                  !stays.some((s) => s.start_at === p.startAt && s.end_at === p.endAt && booked.has(s.id)),
              )
              .map((p) => p.startAt),
          );
          const freeFuture = rows.filter((s) => s.state !== 'removed' && s.start_at >= now2 && !booked.has(s.id));
          expect(freeFuture.map((s) => [s.start_at, s.end_at])).toEqual(expected.map((p) => [p.startAt, p.endAt]));
          for (const s of freeFuture)
            expect([s.appointment_type_ids, s.web_published, s.template_id]).toEqual([typesJson, web, template.id]);
          // A free slot the new plan still holds keeps its id (changed in place, not replaced).
          for (const s of before) {
            if (s.state === 'removed' || booked.has(s.id) || s.start_at < now2) continue;
            if (plan.some((p) => p.startAt === s.start_at && p.endAt === s.end_at)) expect(byId.get(s.id)?.state).toBe(s.state);
          }
          // Never two live slots at once on the resource.
          const live = rows.filter((s) => s.state !== 'removed');
          for (let i = 1; i < live.length; i++) expect(live[i]!.start_at).toBeGreaterThanOrEqual(live[i - 1]!.end_at);
          seen.booked += booked.size;
          seen.reported += expansion.bookedUnchanged.length;
          seen.past += before.filter((s) => s.start_at < now2).length;
          seen.updatedInPlace += expansion.updated;
          seen.removed += expansion.removed;
          seen.overlapsSkipped += expansion.skippedOverlaps;
          // Idempotent after the edit too.
          const again = await env.must<ExpansionReport>('templates.expand', { templateIds: [template.id], horizonWeeks: weeks });
          expect(again.created).toBe(0);
          expect(slotsOf(env.db, env.doctor)).toEqual(rows);
          env.db.close();
        },
      ),
      // A fixed seed keeps the coverage counts below stable (random runs drew no in-place update now and then).
      { numRuns: 40, seed: 20261123 },
    );
    // The runs did real work: bookings kept and reported, history passed over, slots changed in place and removed.
    for (const [k, v] of Object.entries(seen)) expect([k, v > 0]).toEqual([k, true]);
  }, 180_000);
});

describe('two templates of one resource that overlap in time', () => {
  it('the preview names the times the resource already holds; saving skips exactly those and never overlaps', async () => {
    const env = await setup(NOWS[0]!);
    const spec = (startTime: string, endTime: string, slotMin: number) => ({
      name: '',
      weekdays: [1, 2, 3, 4, 5],
      validFrom: '2026-11-23',
      validTo: null,
      startTime,
      endTime,
      slotMin,
      appointmentTypeIds: [env.types.lak],
      publishWeb: false,
      skipHolidays: true,
    });
    await env.must('templates.create', { template: { ...spec('08:00', '12:00', 20), resourceId: env.doctor }, horizonWeeks: 1 });
    // A hand-made afternoon time on Wednesday.
    await env.must('slots.create', {
      resourceId: env.doctor,
      date: '2026-11-25',
      startTime: '13:10',
      endTime: '13:50',
      appointmentTypeIds: [env.types.lak],
    });
    const second = spec('10:00', '14:00', 30);
    const preview = await env.must<TemplatePreview & { overlapping?: { startAt: number }[] }>('templates.preview', {
      template: { ...second, resourceId: env.doctor },
      from: '2026-11-23',
      to: '2026-11-30',
    });
    // Mon 23 (from 10:00, after now 09:10) to Fri 27: 8 a day, 40 planned; 10:00–12:00 is the morning
    // template's on every day (4 a day) and 13:00–14:00 the hand-made time's on Wednesday (2).
    expect(preview.slots).toHaveLength(40);
    expect(preview.overlapping?.map((s) => localTime(s.startAt))).toEqual([
      ...['10:00', '10:30', '11:00', '11:30'],
      ...['10:00', '10:30', '11:00', '11:30'],
      ...['10:00', '10:30', '11:00', '11:30', '13:00', '13:30'],
      ...['10:00', '10:30', '11:00', '11:30'],
      ...['10:00', '10:30', '11:00', '11:30'],
    ]);
    const { expansion } = await env.must<TemplateChange>('templates.create', {
      template: { ...second, resourceId: env.doctor },
      horizonWeeks: 1,
    });
    expect(expansion).toMatchObject({ created: 40 - 22, skippedOverlaps: 22 });
    const live = slotsOf(env.db, env.doctor).filter((s) => s.state !== 'removed');
    for (let i = 1; i < live.length; i++) expect(live[i]!.start_at).toBeGreaterThanOrEqual(live[i - 1]!.end_at);
    env.db.close();
  });
});

describe('single slots of an earlier day are history', () => {
  it('refuses to remove, block, unblock or change them in Swedish and writes nothing; today stays open', async () => {
    const env = await setup(NOWS[0]!); // Monday 2026-11-23 09:10
    const add = (date: string, startTime: string) =>
      env.must<{ id: string }>('slots.create', {
        resourceId: env.doctor,
        date,
        startTime,
        endTime: `${startTime.slice(0, 3)}40`,
        appointmentTypeIds: [env.types.lak],
      });
    const monday = await add('2026-11-23', '15:00');
    const blockedMonday = await add('2026-11-23', '16:00');
    await env.must('slots.block', { id: blockedMonday.id, reason: 'Möte' });
    const wednesdayMorning = await add('2026-11-25', '08:00');
    env.setNow(Date.parse('2026-11-25T10:00:00+01:00'));
    const written = () => [
      env.db.prepare(`SELECT count(*) FROM outbox`).pluck().get(),
      env.db.prepare(`SELECT group_concat(state || version) FROM slots ORDER BY id`).pluck().get(),
    ];
    const before = written();
    for (const [method, input] of [
      ['slots.remove', { id: monday.id }],
      ['slots.block', { id: monday.id, reason: 'Efterhand' }],
      ['slots.update', { id: monday.id, webPublished: true }],
      ['slots.unblock', { id: blockedMonday.id }],
    ] as const) {
      const e = await env.refused(method, input);
      expect([method, e.code, e.message]).toEqual([
        method,
        'conflict',
        'Tiden 2026-11-23 har redan varit och hör till historiken: den kan inte ändras.',
      ]);
    }
    expect(written()).toEqual(before);
    // Today's time that has ended may still be corrected (as a time may be added today afterwards).
    await env.must('slots.block', { id: wednesdayMorning.id, reason: 'Läkaren var sjuk' });
    await env.must('slots.remove', { id: wednesdayMorning.id });
    env.db.close();
  });
});

describe('deactivating a template', () => {
  it('removes its free future slots, keeps the past and the booked ones; a second deactivation writes nothing', async () => {
    const env = await setup(NOWS[0]!); // Monday 09:10
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [1, 2],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '10:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak],
      },
      horizonWeeks: 1,
    });
    const rows = slotsOf(env.db, env.doctor); // Mon 09:30 (09:00 had begun), Tue 08:00–09:30
    expect(rows.map((s) => localTime(s.start_at))).toEqual(['09:30', '08:00', '08:30', '09:00', '09:30']);
    await env.must('bookings.book', {
      slotId: rows[2]!.id,
      patientId: env.patients[0],
      appointmentTypeId: env.types.lak,
      contactMode: 'physical',
    });
    env.setNow(Date.parse('2026-11-23T09:45:00+01:00')); // Monday's 09:30 has begun
    const first = await env.must<TemplateChange>('templates.deactivate', { id: template.id });
    expect(first.expansion).toMatchObject({ removed: 3, created: 0 });
    expect(first.expansion.bookedUnchanged.map((b) => b.slotId)).toEqual([rows[2]!.id]);
    expect(slotsOf(env.db, env.doctor).map((s) => s.state)).toEqual(['open', 'removed', 'open', 'removed', 'removed']);
    const written = () =>
      [`outbox`, `audit_events`, `slots_behind_template`].map((t) => env.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
    const before = [written(), env.db.prepare(`SELECT version FROM schedule_templates`).pluck().get()];
    const again = await env.must<TemplateChange>('templates.deactivate', { id: template.id });
    expect(again.template.active).toBe(false);
    expect(again.expansion).toMatchObject({ removed: 0, updated: 0, created: 0, bookedUnchanged: [] });
    expect([written(), env.db.prepare(`SELECT version FROM schedule_templates`).pluck().get()]).toEqual(before);
    // Nor does an expansion bring its times back.
    expect((await env.must<ExpansionReport>('templates.expand', { horizonWeeks: 2 })).created).toBe(0);
    env.db.close();
  });
});

describe('blocking a booked time', () => {
  // Nothing lists a booking in a time blocked by hand (an absence lists its bookings for rebooking;
  // the calendar shows the booking as any other), so the patient would come to a closed time.
  it('is refused in Swedish, naming the way (rebook, cancel, or an absence), and writes nothing', async () => {
    const env = await setup(NOWS[0]!);
    const add = (startTime: string, endTime: string) =>
      env.must<{ id: string }>('slots.create', {
        resourceId: env.doctor,
        date: '2026-11-25',
        startTime,
        endTime,
        appointmentTypeIds: [env.types.lak],
      });
    const morning = await add('08:00', '08:30');
    const noon = await add('12:00', '12:30');
    const book = (slotId: string, i: number) =>
      env.must<{ id: string }>('bookings.book', {
        slotId,
        patientId: env.patients[i],
        appointmentTypeId: env.types.lak,
        contactMode: 'physical',
      });
    const booking = await book(morning.id, 0);
    await book(noon.id, 1);
    await env.must('absences.create', {
      resourceId: env.doctor,
      from: '2026-11-25',
      fromTime: '11:00',
      to: '2026-11-25',
      toTime: '13:00',
      reason: 'Kurs',
    });
    const written = () => [
      env.db.prepare(`SELECT count(*) FROM outbox`).pluck().get(),
      env.db.prepare(`SELECT group_concat(state || version || ifnull(absence_id, '-')) FROM slots ORDER BY id`).pluck().get(),
    ];
    const before = written();
    // Open and booked; blocked by the absence and booked (a block of one's own would outlive it).
    for (const id of [morning.id, noon.id]) {
      expect(await env.refused('slots.block', { id, reason: 'Möte' })).toMatchObject({
        code: 'conflict',
        message:
          'Tiden är bokad. Boka om eller avboka patienten först, eller lägg in en frånvaro: den listar bokningarna som behöver flyttas.',
      });
    }
    expect(written()).toEqual(before);
    expect(await env.must<{ status: string }>('bookings.get', { id: booking.id })).toMatchObject({ status: 'booked' });
    // Once the patient is rebooked away, the time may be blocked.
    const later = await add('15:00', '15:30');
    await env.must('bookings.rebook', { id: booking.id, slotId: later.id });
    expect(await env.must('slots.block', { id: morning.id, reason: 'Möte' })).toMatchObject({ state: 'blocked' });
    env.db.close();
  });
});

describe('who may offer what: rooms and equipment against the types’ professions', () => {
  it.each([
    // [resource, type, refusal or null] for a template, its preview and a single slot alike
    ['room', 'any', null],
    ['ecg', 'any', null],
    ['doctor', 'any', null],
    ['doctor', 'lak', null],
    ['room', 'lak', 'Rum 4 kan inte ta emot Typ LAK: besökstypen är för en annan yrkesgrupp.'],
    ['ecg', 'lak', 'EKG-apparat kan inte ta emot Typ LAK: besökstypen är för en annan yrkesgrupp.'],
    ['doctor', 'lak30', 'Typ LAK30 tar 30 minuter men tiden är 20 minuter.'],
  ] as const)('%s offering %s: %s', async (who, type, refusal) => {
    const env = await setup(NOWS[0]!);
    const resourceId = env[who];
    const types = [env.types[type]];
    const template = {
      resourceId,
      weekdays: [3],
      validFrom: '2026-11-23',
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 20,
      appointmentTypeIds: types,
    };
    const slot = { resourceId, date: '2026-11-26', startTime: '08:00', endTime: '08:20', appointmentTypeIds: types };
    const calls = [
      ['templates.preview', { template }],
      ['templates.create', { template, horizonWeeks: 1 }],
      ['slots.create', slot],
    ] as const;
    for (const [method, input] of calls) {
      const r = await env.call(method, input);
      expect([method, r.ok ? null : r.error.message]).toEqual([method, refusal]);
    }
    expect(slotsOf(env.db, resourceId)).toHaveLength(refusal ? 0 : 4); // Wed 25 08:00–09:00 and the Thursday slot
    env.db.close();
  });
});

describe('a template whose types are deactivated later', () => {
  it('lays out nothing new while none of its types is active, keeps its free slots unofferable, and resumes when one is', async () => {
    const env = await setup(NOWS[0]!);
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [1, 2, 3, 4, 5],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak],
      },
      horizonWeeks: 1,
    });
    const laid = slotsOf(env.db, env.doctor).length; // Tue–Fri, two a day (Monday's had begun)
    expect(laid).toBe(8);
    await env.must('appointmentTypes.setActive', { id: env.types.lak, active: false });
    expect(await env.must<ExpansionReport>('templates.expand', { horizonWeeks: 3 })).toMatchObject({ created: 0 });
    expect(await env.must<unknown[]>('slots.findFree', { appointmentTypeId: env.types.lak })).toEqual([]);
    // The scheduler may still end the template (the type is not checked again) ...
    await env.must('templates.update', { id: template.id, changes: { validTo: '2026-12-31' }, horizonWeeks: 1 });
    // ... but not bring in the inactive type anew elsewhere.
    expect(
      (
        await env.refused('templates.create', {
          template: {
            resourceId: env.doctor,
            weekdays: [6],
            validFrom: '2026-11-23',
            startTime: '08:00',
            endTime: '09:00',
            slotMin: 30,
            appointmentTypeIds: [env.types.lak],
          },
        })
      ).message,
    ).toBe('Typ LAK är inaktiverad och kan inte erbjudas på nya tider.');
    await env.must('appointmentTypes.setActive', { id: env.types.lak, active: true });
    const resumed = await env.must<ExpansionReport>('templates.expand', { horizonWeeks: 3 });
    expect(resumed).toMatchObject({ created: 2 * 2 * 5, existing: 8 });
    env.db.close();
  });
});

describe('a slot removed by hand', () => {
  it('stays removed through re-expansion and through edits of its template; a hand-made time may take its place', async () => {
    const env = await setup(NOWS[0]!);
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [3],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak, env.types.any],
      },
      horizonWeeks: 2,
    });
    const first = slotsOf(env.db, env.doctor)[0]!; // Wed 2026-11-25 08:00
    await env.must('slots.remove', { id: first.id });
    const live = () =>
      slotsOf(env.db, env.doctor)
        .filter((s) => s.state !== 'removed')
        .map((s) => `${localDate(s.start_at)} ${localTime(s.start_at)}`);
    const without = ['2026-11-25 08:30', '2026-12-02 08:00', '2026-12-02 08:30'];
    expect(live()).toEqual(without);
    expect((await env.must<ExpansionReport>('templates.expand', { horizonWeeks: 2 })).created).toBe(0);
    for (const changes of [{ publishWeb: true }, { appointmentTypeIds: [env.types.lak] }, { endTime: '09:30' }]) {
      await env.must('templates.update', { id: template.id, changes, horizonWeeks: 2 });
      expect(live()).toEqual(
        changes.endTime ? [...without.slice(0, 1), '2026-11-25 09:00', ...without.slice(1), '2026-12-02 09:00'] : without,
      );
    }
    // The time is free for a slot added by hand (the removed one is history for the sync feed).
    await env.must('slots.create', {
      resourceId: env.doctor,
      date: '2026-11-25',
      startTime: '08:00',
      endTime: '08:30',
      appointmentTypeIds: [env.types.lak],
    });
    expect(live()[0]).toBe('2026-11-25 08:00');
    env.db.close();
  });
});

describe('a new template that ended before today', () => {
  it('is refused in Swedish (a mistyped year), while an edit may still end a template in the past', async () => {
    const env = await setup(NOWS[0]!); // Monday 2026-11-23
    const template = {
      resourceId: env.doctor,
      weekdays: [1, 2, 3, 4, 5],
      validFrom: '2025-11-23',
      validTo: '2025-12-31',
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 30,
      appointmentTypeIds: [env.types.lak],
    };
    expect(await env.refused('templates.create', { template })).toMatchObject({
      code: 'validation',
      message: 'Mallen gäller bara till 2025-12-31, före i dag (2026-11-23): den skulle inte lägga ut några tider.',
    });
    expect(env.db.prepare(`SELECT count(*) FROM schedule_templates`).pluck().get()).toBe(0);
    // Ending today or later is a template; ending yesterday by an edit ends it now.
    const { template: t } = await env.must<TemplateChange>('templates.create', {
      template: { ...template, validFrom: '2026-11-01', validTo: '2026-11-23' },
    });
    const ended = await env.must<TemplateChange>('templates.update', { id: t.id, changes: { validTo: '2026-11-22' } });
    expect(ended.expansion).toMatchObject({ removed: 0, created: 0 }); // today's times (08:00–09:00) had begun
    env.db.close();
  });
});

describe('through the web shell over HTTP (demo unit, Monday 2026-11-23 09:10)', () => {
  it('previews held times and refuses to block a booked time, in Swedish', async () => {
    const shell = await startShell({ env: { TIDBOK_NOW: '2026-11-23T09:10:00+01:00' } });
    try {
      const post = apiResultAs(() => shell, 'schema', 'demo-schema');
      const anna = ((await post('resources.list', {})).value as { id: string; name: string }[]).find(
        (r) => r.name === 'Anna Lindqvist',
      )!;
      const lakbes = ((await post('appointmentTypes.list', {})).value as { id: string; code: string }[]).find(
        (t) => t.code === 'LAKBES',
      )!;
      // Anna's own morning template, once more: every time it would lay out is hers already.
      const template = {
        resourceId: anna.id,
        weekdays: [1, 2, 3, 4, 5],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '12:00',
        slotMin: 30,
        appointmentTypeIds: [lakbes.id],
      };
      const preview = (await post('templates.preview', { template, from: '2026-11-24', to: '2026-12-05' }))
        .value as TemplatePreview;
      expect(preview.slots.length).toBe(8 * 9); // Tue 24 – Fri 4 Dec, no holiday
      expect(preview.overlapping).toEqual(preview.slots);
      const created = (await post('templates.create', { template, horizonWeeks: 2 })).value as TemplateChange;
      expect(created.expansion.created).toBe(0);

      // A booked time of Anna's this week: blocking it is refused, the booking stays.
      const week = (await post('calendar.range', { from: '2026-11-24', to: '2026-11-28', resourceIds: [anna.id] })).value as {
        slots: { id: string; startAt: number; state: string }[];
        bookings: { id: string; slotId: string; status: string }[];
      };
      const booked = week.bookings.find((b) => b.status === 'booked')!;
      const block = await post('slots.block', { id: booked.slotId, reason: 'Möte' });
      expect(block).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringMatching(/^Tiden är bokad\./) },
      });
      expect((await post('slots.get', { id: booked.slotId })).value).toMatchObject({ state: 'open' });
    } finally {
      await shell.stop();
    }
  }, 120_000);
});

describe('tidbok templates from the command line (demo unit, Monday 2026-11-23 07:00)', () => {
  const ROOT = resolve(import.meta.dirname, '../../..');
  const tidbok = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TIDBOK_NOW: '2026-11-23T07:00:00+01:00' },
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('expands beyond the horizon without changing it; refuses a template that ended; deactivates once', () => {
    const db = tempDbPath();
    expect(tidbok('demo', 'seed', '--db', db).code).toBe(0);
    const far = JSON.parse(tidbok('templates', 'expand', '--weeks', '30', '--json', '--db', db).out) as ExpansionReport;
    expect(far).toMatchObject({ from: '2026-11-23', to: addDays('2026-11-23', 30 * 7) });
    expect(far.created).toBeGreaterThan(0);
    expect(tidbok('templates', 'horizon', '--db', db).out).toMatch(
      /^Schemat läggs ut 12 veckor framåt, nu till och med 2027-02-14\.\n/,
    );

    const ended = tidbok('templates', 'add', '--resource', 'Anna Lindqvist', '--weekdays', '6', '--start', '08:00', '--end', '10:00',
      '--slot', '30', '--types', 'LAKBES', '--from', '2025-01-04', '--to', '2025-06-28', '--db', db); // prettier-ignore
    expect(ended).toMatchObject({
      code: 2,
      err: 'tidbok: Mallen gäller bara till 2025-06-28, före i dag (2026-11-23): den skulle inte lägga ut några tider.\n',
    });

    const [first] = JSON.parse(tidbok('templates', 'list', '--json', '--db', db).out) as { id: string }[];
    const once = tidbok('templates', 'deactivate', first!.id, '--json', '--db', db);
    expect(once.code).toBe(0);
    const outbox = () => {
      const d = openDatabase(db);
      try {
        return d.prepare(`SELECT count(*) FROM outbox`).pluck().get();
      } finally {
        d.close();
      }
    };
    const queued = outbox();
    const twice = JSON.parse(tidbok('templates', 'deactivate', first!.id, '--json', '--db', db).out) as TemplateChange;
    expect(twice.expansion).toMatchObject({ removed: 0, bookedUnchanged: [] });
    expect(outbox()).toBe(queued);
  }, 120_000);
});

describe('an edit of a template laid out beyond the horizon', () => {
  it('lays the new plan as far as the book reached, not only over the horizon', async () => {
    const env = await setup(NOWS[0]!); // Monday 2026-11-23; the unit's horizon is 12 weeks
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [3],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak],
        skipHolidays: false,
      },
      horizonWeeks: 30, // as `tidbok templates expand --weeks 30` does
    });
    const lastDay = () =>
      localDate(env.db.prepare(`SELECT max(start_at) FROM slots WHERE state <> 'removed'`).pluck().get() as number);
    expect(lastDay()).toBe('2027-06-16');
    const { expansion } = await env.must<TemplateChange>('templates.update', { id: template.id, changes: { slotMin: 20 } });
    // 30 Wednesdays, three 20-minute times each, where there were two of 30 minutes.
    expect(expansion).toMatchObject({ removed: 60, created: 90, to: '2027-06-17' }); // the day after the book's last time
    expect(lastDay()).toBe('2027-06-16');
    expect(slotsOf(env.db, env.doctor).filter((s) => s.state !== 'removed')).toHaveLength(90);
    env.db.close();
  });
});

describe('an edit that names the same types in another order', () => {
  it('changes nothing booked: no booked time is reported, marked or read', async () => {
    const env = await setup(NOWS[0]!);
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [3],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak, env.types.any],
      },
      horizonWeeks: 1,
    });
    const [first] = slotsOf(env.db, env.doctor);
    await env.must('bookings.book', {
      slotId: first!.id,
      patientId: env.patients[0],
      appointmentTypeId: env.types.lak,
      contactMode: 'physical',
    });
    const reads = () => env.db.prepare(`SELECT count(*) FROM audit_events WHERE action = 'read'`).pluck().get();
    const before = reads();
    const { expansion } = await env.must<TemplateChange>('templates.update', {
      id: template.id,
      changes: { appointmentTypeIds: [env.types.any, env.types.lak] },
      horizonWeeks: 1,
    });
    expect(expansion.bookedUnchanged).toEqual([]);
    expect(env.db.prepare(`SELECT count(*) FROM slots_behind_template`).pluck().get()).toBe(0);
    expect(reads()).toBe(before);
    env.db.close();
  });
});

describe('times one template gives up, another of the resource plans', () => {
  it('are laid out by that template at once when the first is shortened or deactivated, as far as its book reaches', async () => {
    const env = await setup(NOWS[0]!); // Monday 09:10
    const tpl = (startTime: string, endTime: string, weeks: number) =>
      env.must<TemplateChange>('templates.create', {
        template: {
          resourceId: env.doctor,
          weekdays: [3],
          validFrom: '2026-11-23',
          startTime,
          endTime,
          slotMin: 30,
          appointmentTypeIds: [env.types.lak],
        },
        horizonWeeks: weeks,
      });
    const morning = await tpl('08:00', '11:00', 3);
    const late = await tpl('10:00', '12:00', 2); // 10:00–11:00 is the morning's: only 11:00 and 11:30 laid
    expect(late.expansion).toMatchObject({ created: 4, skippedOverlaps: 4 });
    const times = () =>
      slotsOf(env.db, env.doctor)
        .filter((s) => s.state !== 'removed')
        .map((s) => `${localDate(s.start_at).slice(5)} ${localTime(s.start_at)}`);
    const shortened = await env.must<TemplateChange>('templates.update', {
      id: morning.template.id,
      changes: { endTime: '10:00' },
      horizonWeeks: 1,
    });
    // The late template's 10:00 and 10:30 on its two Wednesdays (its book reaches no further).
    expect(shortened.expansion).toMatchObject({ removed: 6, created: 4 });
    const day = (d: string) => ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((t) => `${d} ${t}`);
    expect(times()).toEqual([...day('11-25'), ...day('12-02'), '12-09 08:00', '12-09 08:30', '12-09 09:00', '12-09 09:30']);
    await env.must('templates.deactivate', { id: morning.template.id });
    expect(times()).toEqual([...day('11-25').slice(4), ...day('12-02').slice(4)]);
    await env.must('templates.update', { id: late.template.id, changes: { startTime: '08:00' } }); // over the horizon now
    const laid = times();
    expect(laid.filter((t) => t.startsWith('11-25'))).toEqual(day('11-25'));
    env.db.close();
  });
});

describe('adding single slots: the edges', () => {
  // Monday 2026-11-23 09:10; a slot 10:00–10:20 on Tuesday 24 is there already.
  it.each([
    ['right after the existing one', '2026-11-24', '10:20', '10:40', null],
    ['right before it', '2026-11-24', '09:40', '10:00', null],
    ['inside it', '2026-11-24', '10:05', '10:25', 'Resursen har redan en tid som överlappar den nya.'],
    ['around it', '2026-11-24', '09:50', '10:30', 'Resursen har redan en tid som överlappar den nya.'],
    ['at the same time', '2026-11-24', '10:00', '10:20', 'Resursen har redan en tid som överlappar den nya.'],
    ['earlier today (registered afterwards)', '2026-11-23', '08:00', '08:20', null],
    [
      'yesterday',
      '2026-11-22',
      '10:00',
      '10:20',
      '2026-11-22 har redan varit: en ny tid kan läggas idag (2026-11-23) eller senare.',
    ],
    ['on juldagen (a single slot is the scheduler’s explicit choice)', '2026-12-25', '10:00', '10:20', null],
    ['the last minutes of the day', '2026-11-25', '23:39', '23:59', null],
    ['of no length', '2026-11-25', '10:00', '10:00', 'Ogiltiga uppgifter: Sluttiden måste vara efter starttiden.'],
    [
      'across midnight',
      '2026-11-25',
      '23:30',
      '00:30',
      'Ogiltiga uppgifter: En tid kan inte gå över midnatt (23:30–00:30 slutar nästa dygn). Lägg två tider: en som slutar senast 24:00 den 2026-11-25 och en som börjar 00:00 den 2026-11-26.',
    ],
    ['ending 24:00, the next midnight', '2026-11-25', '23:40', '24:00', null],
    ['on 30 February', '2027-02-30', '10:00', '10:20', 'Ogiltiga uppgifter: Datum: Datumet finns inte.'],
    ['exactly 8 hours', '2026-11-26', '08:00', '16:00', null],
    ['over 8 hours', '2026-11-26', '08:00', '16:05', 'En tid får vara högst 8 timmar.'],
    ['shorter than the type', '2026-11-27', '10:00', '10:15', 'Typ LAK20 tar 20 minuter men tiden är 15 minuter.'],
  ])('%s (%s %s–%s): %s', async (_what, date, startTime, endTime, refusal) => {
    const env = await setup(NOWS[0]!);
    const slot = (d: string, s: string, e: string) => ({
      resourceId: env.doctor,
      date: d,
      startTime: s,
      endTime: e,
      appointmentTypeIds: [env.types.lak20, env.types.lak20],
    });
    await env.must('slots.create', slot('2026-11-24', '10:00', '10:20'));
    const r = await env.call('slots.create', slot(date, startTime, endTime));
    expect(r.ok ? null : r.error.message).toBe(refusal);
    if (r.ok) expect((r.value as { appointmentTypeIds: string[] }).appointmentTypeIds).toEqual([env.types.lak20]);
    expect(slotsOf(env.db, env.doctor)).toHaveLength(refusal ? 1 : 2);
    env.db.close();
  });
});

describe('an edit that changes nothing', () => {
  it('writes no new version, outbox row or audit event (a form saved as it was)', async () => {
    const env = await setup(NOWS[0]!);
    const { template } = await env.must<TemplateChange>('templates.create', {
      template: {
        resourceId: env.doctor,
        weekdays: [3],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [env.types.lak],
      },
      horizonWeeks: 2,
    });
    const written = () =>
      [`outbox`, `audit_events`, `slots`].map((t) => env.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
    const before = [written(), env.db.prepare(`SELECT version FROM schedule_templates`).pluck().get()];
    const same = await env.must<TemplateChange>('templates.update', { id: template.id, changes: {}, horizonWeeks: 2 });
    expect(same.template).toEqual(template);
    expect(same.expansion).toMatchObject({ created: 0, updated: 0, removed: 0, existing: 4 });
    expect([written(), env.db.prepare(`SELECT version FROM schedule_templates`).pluck().get()]).toEqual(before);
    // Asked to reach further, it lays the template out that far (as templates.expand would).
    const further = await env.must<TemplateChange>('templates.update', { id: template.id, changes: {}, horizonWeeks: 3 });
    expect(further.expansion).toMatchObject({ created: 2 });
    env.db.close();
  });
});
