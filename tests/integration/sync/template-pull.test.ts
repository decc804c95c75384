// Schedule templates and absences reach every desk of the unit: the clinic scheduler's template (or
// its edit, or its deactivation) and an absence made on desk A are pulled by desk B from central's
// Basic feed. B lays out exactly A's slots (template slot ids are the same on every desk) and B's
// absence list and absence rebooking know A's absence. Two desk databases in a temp dir and the real
// stand-in central over HTTP; every change through the api as staff make it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Basic, Slot } from '@medplum/fhirtypes';
import type { ChangeEvent } from '../../../src-main/api/types.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { expandTemplates } from '../../../src-main/services/templates.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { templateToBasic } from '../../../src-main/sync/fhir/mapping.ts';
import { pullChanges } from '../../../src-main/sync/pull.ts';
import {
  api,
  configureCentral,
  deskCopiedFrom,
  openLocal,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
  weekdayTemplate,
} from './helpers.ts';
import { planningStaff, settleDesks, staffOk } from './desk-staff.ts';

// Monday morning; the template starts today.
const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext; // the clinic scheduler's desk
let b: ServiceContext; // a reception desk of the same unit, installed from a copy of A
let unit: SmallUnit;
let templateId: string;

const ok = staffOk;
const staff = planningStaff;
const sync = (...desks: ServiceContext[]) => settleDesks(central.url, ...desks);
/** Every slot row as sync and the book see it (removed ones too: no extra removed rows on either desk). */
const slotRows = (ctx: ServiceContext) =>
  ctx.db
    .prepare(
      `SELECT id, resource_id, start_at, end_at, state, template_id, web_published, appointment_type_ids FROM slots ORDER BY id`,
    )
    .all() as {
    id: string;
    start_at: number;
    end_at: number;
    state: string;
  }[];
const liveSlots = (ctx: ServiceContext) => slotRows(ctx).filter((s) => s.state !== 'removed');
const templateRow = (ctx: ServiceContext, id: string) =>
  ctx.db
    .prepare(
      `SELECT id, resource_id, name, weekdays, every_n_weeks, valid_from, valid_to, start_time, end_time, slot_min,
              appointment_type_ids, publish_web, within_care_guarantee, skip_holidays, active FROM schedule_templates WHERE id = ?`,
    )
    .get(id);
/** What sync wrote on the access log about an entity (workstation 'sync'). */
const syncAudits = (ctx: ServiceContext, id: string) =>
  (
    ctx.db.prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND workstation = 'sync' ORDER BY seq`).all(id) as {
      detail: string;
    }[]
  ).map((e) => (JSON.parse(e.detail) as { op: string }).op);
function recordEvents(ctx: ServiceContext): { events: ChangeEvent[]; stop: () => void } {
  const events: ChangeEvent[] = [];
  return { events, stop: ctx.events.subscribe((e) => events.push(e)) };
}
/** Central's live slots: one per resource and time. */
async function centralLiveTimes(): Promise<string[]> {
  const slots = await api(central.url).searchAll<Slot>('Slot', { _count: '1000' });
  return slots.filter((s) => s.status !== 'entered-in-error').map((s) => `${s.schedule.reference}@${s.start}`);
}

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a', () => NOW);
  unit = seedSmallUnit(a, { slots: 0, patients: 3 });
  configureCentral(a, central.url);
  await sync(a);
  b = deskCopiedFrom(a, dir, 'b', () => NOW);
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

describe('schedule templates made or changed on one desk reach the others', () => {
  it("a template created on A is on B after one round, and B's horizon lays out the same slot ids as A's", async () => {
    const created = await ok(a, 'templates.create', {
      template: weekdayTemplate(unit.resourceIds[0]!, [unit.typeIds.lakbes, unit.typeIds.tele]),
      horizonWeeks: 1,
    });
    templateId = created.template.id;
    await sync(a);
    const basic = await api(central.url).searchAll<Basic>('Basic', { _count: '100' });
    expect(basic).toHaveLength(1);

    const seen = recordEvents(b);
    await sync(b);
    seen.stop();
    expect(await ok(b, 'templates.get', { id: templateId })).toEqual(created.template);
    expect(templateRow(b, templateId)).toEqual(templateRow(a, templateId));
    expect(seen.events.some((e) => e.entities.includes('schedule_template') && e.ids.includes(templateId))).toBe(true);
    expect(syncAudits(b, templateId)).toEqual(['sync.template_added']);

    // Both horizons reach a week further before either has seen the other's new days.
    const createdA = expandTemplates(a, staff, { horizonWeeks: 2 }).created;
    const createdB = expandTemplates(b, staff, { horizonWeeks: 2 }).created;
    expect(createdA).toBe(5 * 8); // the second week: 5 weekdays x 8 half hours
    expect(createdB).toBe(createdA);
    expect(liveSlots(b)).toEqual(liveSlots(a));
    await sync(a, b, a);
    expect(slotRows(b)).toEqual(slotRows(a));
    const times = await centralLiveTimes();
    expect(times).toHaveLength(liveSlots(a).length);
    expect(new Set(times).size).toBe(times.length);
  });

  it("an edit on A (shorter hours, longer slots) reaches B, and after both horizons run B's slots are A's", async () => {
    await ok(a, 'templates.update', { id: templateId, changes: { endTime: '11:00', slotMin: 45 }, horizonWeeks: 2 });
    await sync(a);
    // Small pages: a removed slot and the new one at its time may come on different pages, so
    // central's feed must keep the order A made them in.
    await pullChanges(b, api(central.url), { pageSize: 5 });
    await sync(b);
    expect(await ok(b, 'templates.get', { id: templateId })).toMatchObject({ endTime: '11:00', slotMin: 45 });
    expect(templateRow(b, templateId)).toEqual(templateRow(a, templateId));
    expect(syncAudits(b, templateId)).toEqual(['sync.template_added', 'sync.template_changed']);

    expandTemplates(a, staff, { horizonWeeks: 3 });
    expandTemplates(b, staff, { horizonWeeks: 3 });
    await sync(a, b, a, b);
    // Every row alike: the same ids, no twin removed on either desk, nothing left of the old hours.
    expect(slotRows(b)).toEqual(slotRows(a));
    // Three weeks of 08:00–11:00 in 45 minutes (4 a day), today's from 09:30 on (it is 09:10).
    const ahead = liveSlots(b).filter((s) => s.start_at >= NOW);
    expect(ahead.every((s) => s.end_at - s.start_at === 45 * 60_000)).toBe(true);
    expect(ahead).toHaveLength(2 + 14 * 4);
    const times = await centralLiveTimes();
    expect(times).toHaveLength(liveSlots(b).length);
    expect(new Set(times).size).toBe(times.length);
  });

  it('a change made on B offline and still waiting is not overwritten by A’s older change: the change that reaches central last wins', async () => {
    // A's change reaches central first; B's was made meanwhile and is still in B's outbox.
    await ok(a, 'templates.update', { id: templateId, changes: { name: 'Förmiddag A' } });
    await ok(b, 'templates.update', { id: templateId, changes: { name: 'Förmiddag B', publishWeb: false } });
    await sync(a);
    await pullChanges(b, api(central.url));
    expect(await ok(b, 'templates.get', { id: templateId })).toMatchObject({ name: 'Förmiddag B', publishWeb: false });
    // B's push sends its whole row on central's current version: B's template everywhere.
    await sync(b, a);
    expect(await ok(a, 'templates.get', { id: templateId })).toMatchObject({ name: 'Förmiddag B', publishWeb: false });
    expect(templateRow(a, templateId)).toEqual(templateRow(b, templateId));
    expect(liveSlots(a)).toEqual(liveSlots(b));
  });

  it('a deactivation on A deactivates the template on B (kept, not deleted), and B lays out no more of it', async () => {
    await ok(a, 'templates.deactivate', { id: templateId });
    await sync(a, b);
    expect(await ok(b, 'templates.get', { id: templateId })).toMatchObject({ active: false });
    expect(templateRow(b, templateId)).toEqual(templateRow(a, templateId));
    expect(expandTemplates(b, staff, { horizonWeeks: 4 }).created).toBe(0);
    expect(liveSlots(b)).toEqual(liveSlots(a));
    expect(liveSlots(b).filter((s) => s.start_at > NOW)).toHaveLength(0);
  });
});

describe('an absence made on one desk reaches the others', () => {
  let absenceId: string;
  let bookingId: string;

  it("is in B's absence list, and B's absence rebooking lists the bookings it hits", async () => {
    const template = await ok(a, 'templates.create', {
      template: weekdayTemplate(unit.resourceIds[0]!, [unit.typeIds.lakbes], {
        name: 'Eftermiddag',
        startTime: '13:00',
        endTime: '15:00',
      }),
      horizonWeeks: 2,
    });
    await sync(a, b);
    // A patient booked at B on Wednesday; the doctor is then away Wednesday–Thursday (recorded on A).
    const wednesday = Date.parse('2026-11-25T13:00:00+01:00');
    const slot = liveSlots(b).find((s) => s.start_at === wednesday)!;
    bookingId = (
      await ok(b, 'bookings.book', { slotId: slot.id, patientId: unit.patientIds[0]!, appointmentTypeId: unit.typeIds.lakbes })
    ).id;
    await sync(b, a);
    const made = await ok(a, 'absences.create', {
      resourceId: unit.resourceIds[0]!,
      from: '2026-11-25',
      to: '2026-11-26',
      reason: 'Utbildning',
    });
    absenceId = made.absence.id;
    expect(made.affectedBookings.map((x) => x.id)).toEqual([bookingId]);
    await sync(a);
    const seen = recordEvents(b);
    await sync(b);
    seen.stop();

    expect(await ok(b, 'absences.list', {})).toEqual([made.absence]);
    expect((await ok(b, 'absences.affectedBookings', { id: absenceId })).map((x) => x.id)).toEqual([bookingId]);
    const proposals = await ok(b, 'absences.proposeRebooking', { id: absenceId });
    expect(proposals.map((p) => p.booking.id)).toEqual([bookingId]);
    expect(proposals[0]!.proposal).not.toBeNull();
    expect(seen.events.some((e) => e.entities.includes('absence') && e.ids.includes(absenceId))).toBe(true);
    expect(syncAudits(b, absenceId)).toEqual(['sync.absence_added']);
    // The blocked slots came by the Slot feed, the same on both desks.
    const blocked = (ctx: ServiceContext) =>
      ctx.db.prepare(`SELECT id FROM slots WHERE state = 'blocked' ORDER BY id`).pluck().all() as string[];
    expect(blocked(b)).toEqual(blocked(a));
    expect(blocked(b)).toHaveLength(8);
    expect(template.template.id).toBeTruthy();
  });

  it('withdrawn on B, it opens its slots on B and, through central, on A', async () => {
    await ok(b, 'absences.withdraw', { id: absenceId });
    await sync(b, a);
    expect(await ok(a, 'absences.list', { includeWithdrawn: true })).toEqual(
      await ok(b, 'absences.list', { includeWithdrawn: true }),
    );
    expect((await ok(a, 'absences.list', {})).length).toBe(0);
    const blocked = (ctx: ServiceContext) => ctx.db.prepare(`SELECT count(*) FROM slots WHERE state = 'blocked'`).pluck().get();
    expect(blocked(b)).toBe(0);
    expect(blocked(a)).toBe(0);
    expect(slotRows(a)).toEqual(slotRows(b));
  });

  it('pulling again, even the whole Basic feed from the start, changes nothing', async () => {
    const planning = (ctx: ServiceContext) => ({
      templates: ctx.db.prepare(`SELECT id, remote_id, remote_version, name, active FROM schedule_templates ORDER BY id`).all(),
      absences: ctx.db.prepare(`SELECT id, remote_id, remote_version, start_at, end_at, state FROM absences ORDER BY id`).all(),
    });
    expect(planning(b)).toEqual(planning(a));
    expect(planning(b).templates).toHaveLength(2);
    const before = {
      audit: b.db.prepare(`SELECT count(*) FROM audit_events`).pluck().get(),
      versions: b.db
        .prepare(
          `SELECT group_concat(version) FROM (SELECT version FROM schedule_templates UNION ALL SELECT version FROM absences)`,
        )
        .pluck()
        .get(),
      outbox: b.db.prepare(`SELECT count(*) FROM outbox`).pluck().get(),
    };
    for (let i = 0; i < 2; i++) expect((await pullChanges(b, api(central.url))).applied).toBe(0);
    b.db.prepare(`DELETE FROM sync_state WHERE feed = 'Basic'`).run();
    const again = await pullChanges(b, api(central.url), { feeds: ['Basic'] });
    expect(again.pulled).toBe(3); // two templates and the absence, each skipped as already held
    expect(again.applied).toBe(0);
    expect(planning(b)).toEqual(planning(a));
    expect(b.db.prepare(`SELECT count(*) FROM audit_events`).pluck().get()).toBe(before.audit);
    expect(
      b.db
        .prepare(
          `SELECT group_concat(version) FROM (SELECT version FROM schedule_templates UNION ALL SELECT version FROM absences)`,
        )
        .pluck()
        .get(),
    ).toBe(before.versions);
    expect(b.db.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(before.outbox);
    expect(pendingOutbox(b)).toBe(0);
  });
});

describe('a unit whose templates and absences stayed local until now', () => {
  let old: Central;
  let c: ServiceContext; // the desk the templates were kept on
  let d: ServiceContext; // another desk, installed from a copy, whose template drifted meanwhile
  let kept: string;
  let pendingOnly: string;
  let ended: string;
  let current: string;
  let past: string;

  beforeAll(async () => {
    old = await startCentral({});
    const dir = tempDir();
    c = openLocal(dir, 'c', () => NOW);
    const small = seedSmallUnit(c, { slots: 0, patients: 1 });
    const spec = weekdayTemplate(small.resourceIds[0]!, [small.typeIds.lakbes], {
      name: 'Mottagning',
      weekdays: [2, 4],
      startTime: '13:00',
      endTime: '16:00',
      publishWeb: false,
    });
    kept = (await ok(c, 'templates.create', { template: spec, horizonWeeks: 1 })).template.id;
    for (const name of ['Mottagning 2', 'Mottagning 3', 'Mottagning 4']) {
      await ok(c, 'templates.update', { id: kept, changes: { name } });
    }
    ended = (await ok(c, 'templates.create', { template: { ...spec, startTime: '08:00', endTime: '09:00' }, horizonWeeks: 1 }))
      .template.id;
    await ok(c, 'templates.deactivate', { id: ended });
    past = (
      await ok(c, 'absences.create', { resourceId: small.resourceIds[1]!, from: '2026-11-02', to: '2026-11-03', reason: '' })
    ).absence.id;
    current = (
      await ok(c, 'absences.create', { resourceId: small.resourceIds[1]!, from: '2026-12-01', to: '2026-12-02', reason: 'Kurs' })
    ).absence.id;
    // The old push settled these entries unsent ('done'), as it did for everything local.
    c.db.prepare(`UPDATE outbox SET state = 'done' WHERE entity IN ('schedule_template', 'absence')`).run();
    // A template made just before the update, whose entries are still waiting (no central configured yet).
    pendingOnly = (await ok(c, 'templates.create', { template: { ...spec, weekdays: [5] }, horizonWeeks: 1 })).template.id;
    await ok(c, 'templates.update', { id: pendingOnly, changes: { name: 'Fredag' } });
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    d = deskCopiedFrom(c, dir, 'd', () => NOW);
    // Desk D's copy of the template was edited there while templates stayed on each desk.
    await ok(d, 'templates.update', { id: kept, changes: { name: 'Mottagning D' } });
    d.db.prepare(`UPDATE outbox SET state = 'done' WHERE entity IN ('schedule_template', 'absence')`).run();
    configureCentral(c, old.url);
    configureCentral(d, old.url);
  });

  afterAll(async () => {
    c.db.close();
    d.db.close();
    await old.close();
  });

  /** How many versions central holds of each Basic, by our id. */
  const versionsAtCentral = () => {
    const history = (old.repo as unknown as { history: Map<string, Map<string, Basic[]>> }).history.get('Basic');
    return new Map([...(history?.values() ?? [])].map((versions) => [versions[0]!.identifier![0]!.value!, versions.length]));
  };

  it('sends each template in use and each absence not over once, in its current state, and nothing of the rest', async () => {
    const engine = new SyncEngine(c, api(old.url));
    expect((await engine.settle()).error).toBeNull();
    expect(engine.status()).toMatchObject({ pending: 0, failed: 0 });
    expect(versionsAtCentral()).toEqual(
      new Map([
        [kept, 1],
        [current, 1],
        [pendingOnly, 1],
      ]),
    );
    const basics = await api(old.url).searchAll<Basic>('Basic', { _count: '100' });
    const name = (id: string) =>
      basics.find((x) => x.identifier![0]!.value === id)!.extension![0]!.extension!.find((e) => e.url === 'name')?.valueString;
    expect([name(kept), name(pendingOnly)]).toEqual(['Mottagning 4', 'Fredag']);
    // A deactivated template and an absence already over stay on their desk.
    expect([versionsAtCentral().has(ended), versionsAtCentral().has(past)]).toEqual([false, false]);
  });

  it("a desk whose copy drifted takes central's, instead of both desks overwriting each other in turn", async () => {
    const engine = new SyncEngine(d, api(old.url));
    expect((await engine.settle()).error).toBeNull();
    expect(engine.status()).toMatchObject({ pending: 0, failed: 0 });
    expect((await ok(d, 'templates.get', { id: kept })).name).toBe('Mottagning 4');
    expect(templateRow(d, kept)).toEqual(templateRow(c, kept));
    expect(versionsAtCentral().get(kept)).toBe(1);
    // Sent once: the next rounds send nothing more.
    expect((await engine.settle()).pushed).toBe(0);
    expect((await new SyncEngine(c, api(old.url)).settle()).pushed).toBe(0);
  });
});

describe("the stand-in central's Basic", () => {
  it("validates it, and a unit's author search finds only the unit's templates and absences", async () => {
    const other = templateToBasic(
      {
        id: '01900000-0000-7000-8000-00000000f0f0',
        resource_id: unit.resourceIds[0]!, // a clinician of ours, named by another unit: still not ours
        name: 'Annan enhet',
        weekdays: '[1]',
        every_n_weeks: 1,
        valid_from: '2026-11-23',
        valid_to: null,
        start_time: '08:00',
        end_time: '09:00',
        slot_min: 30,
        publish_web: 0,
        within_care_guarantee: 1,
        skip_holidays: 1,
        active: 1,
      },
      ['LAKBES'],
      { id: unit.resourceIds[0]!, kind: 'clinician' },
      'Organization/another-unit',
    );
    const answers = await api(central.url).batch([
      { resource: other, request: { method: 'POST', url: 'Basic' } },
      { resource: { ...other, code: undefined } as unknown as Basic, request: { method: 'POST', url: 'Basic' } },
    ]);
    expect(answers.map((x) => x.response?.status?.slice(0, 3))).toEqual(['201', '400']);
    const organization = a.db.prepare(`SELECT remote_id FROM units`).pluck().get() as string;
    const ours = await api(central.url).searchAll<Basic>('Basic', { author: `Organization/${organization}`, _count: '100' });
    expect(ours.map((x) => x.identifier![0]!.value).sort()).toEqual(
      (b.db.prepare(`SELECT id FROM schedule_templates UNION ALL SELECT id FROM absences`).pluck().all() as string[]).sort(),
    );
    expect((await pullChanges(b, api(central.url))).applied).toBe(0);
    expect(b.db.prepare(`SELECT count(*) FROM schedule_templates WHERE name = 'Annan enhet'`).pluck().get()).toBe(0);
  });
});
