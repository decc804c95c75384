// Resources through the api on the demo unit: add, edit, order, deactivate; each change with its
// outbox row and audit event; deactivation refused while bookings lie ahead, and otherwise taking
// the resource's future free slots and templates with it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import { setupApi, type SetupApi } from './helpers.ts';

let api: SetupApi;
let lakbes: AppointmentType;
const outboxOf = (id: string) => api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'resource' AND entity_id = ?`, id);
const auditOf = (id: string) =>
  api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'resource' AND entity_id = ?`, id);

beforeAll(async () => {
  api = setupApi({ demo: true });
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
});

describe('resources.create / update', () => {
  it('adds a clinician last in the order, with outbox, audit and change event', async () => {
    const before = await api.ok('resources.list', {});
    const r = await api.ok(
      'resources.create',
      { kind: 'clinician', name: ' Anna Berg ', profession: 'lakare', title: 'Distriktsläkare', hsaId: 'SE2321000016-P001' },
      ['scheduler'],
    );
    expect(r).toMatchObject({
      kind: 'clinician',
      name: 'Anna Berg',
      profession: 'lakare',
      active: true,
      hsaId: 'SE2321000016-P001',
    });
    expect(r.sortOrder).toBeGreaterThan(Math.max(...before.map((x) => x.sortOrder)));
    expect((await api.ok('resources.list', {})).at(-1)!.id).toBe(r.id);
    expect(outboxOf(r.id)).toBe(1);
    expect(auditOf(r.id)).toBe(1);
    expect(api.events).toContainEqual({ entities: ['resource'], ids: [r.id] });
    // The type/profession fit keeps working: the new doctor can be chosen for a doctor's visit.
    expect(lakbes.professions).toContain(r.profession);
  });

  it('needs a profession for a clinician, none for a room; validates the HSA-id and keeps it unique', async () => {
    expect(await api.err('resources.create', { kind: 'clinician', name: 'Utan yrke' })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Ange yrke/),
    });
    const room = await api.ok('resources.create', { kind: 'room', name: 'Rum 2', profession: 'lakare', hsaId: '' });
    expect(room).toMatchObject({ kind: 'room', profession: null, hsaId: null });
    expect(await api.err('resources.create', { kind: 'room', name: 'Rum 3', hsaId: 'SE123-X' })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/HSA-id ska skrivas/),
    });
    expect(
      await api.err('resources.create', {
        kind: 'clinician',
        name: 'Dubblett',
        profession: 'lakare',
        hsaId: 'SE2321000016-P001',
      }),
    ).toMatchObject({ code: 'conflict', message: 'HSA-id SE2321000016-P001 används redan av Anna Berg.' });
    expect(await api.err('resources.create', { kind: 'robot' as never, name: 'R2' })).toMatchObject({ code: 'validation' });
  });

  it('edits name, title, profession and HSA-id; an unchanged edit writes nothing', async () => {
    const r = await api.ok('resources.create', { kind: 'clinician', name: 'Karl Ek', profession: 'sjukskoterska' });
    const edited = await api.ok('resources.update', {
      id: r.id,
      name: 'Karl Eklund',
      title: 'Distriktssköterska',
      hsaId: 'SE2321000016-P002',
    });
    expect(edited).toMatchObject({
      name: 'Karl Eklund',
      title: 'Distriktssköterska',
      hsaId: 'SE2321000016-P002',
      kind: 'clinician',
    });
    const cleared = await api.ok('resources.update', { id: r.id, title: null, hsaId: '' });
    expect(cleared).toMatchObject({ title: null, hsaId: null });
    expect(outboxOf(r.id)).toBe(3);
    await api.ok('resources.update', { id: r.id, name: 'Karl Eklund' });
    expect(outboxOf(r.id)).toBe(3);
    expect(auditOf(r.id)).toBe(3);
    expect(await api.err('resources.update', { id: r.id, profession: null })).toMatchObject({ code: 'validation' });
    expect(await api.err('resources.update', { id: '0190d2a0-0000-7000-8000-000000000000', name: 'X' })).toMatchObject({
      code: 'not_found',
    });
  });

  it('reorders the unit’s resources (calendar columns)', async () => {
    const all = await api.ok('resources.list', { includeInactive: true });
    const last = all.at(-1)!;
    const first = all[0]!;
    const after = await api.ok('resources.reorder', { ids: [last.id, first.id] });
    expect(after.map((r) => r.id)).toEqual([last.id, first.id, ...all.slice(1, -1).map((r) => r.id)]);
    expect(after.map((r) => r.sortOrder)).toEqual(after.map((_, i) => i));
    expect((await api.ok('resources.list', { includeInactive: true })).map((r) => r.id)).toEqual(after.map((r) => r.id));
    expect(api.count(`SELECT count(*) AS n FROM audit_events WHERE json_extract(detail, '$.op') = 'reorder'`)).toBe(1);
    expect(await api.err('resources.reorder', { ids: [first.id, first.id] })).toMatchObject({ code: 'validation' });
  });

  it('is for schedulers and admins; receptionists read only', async () => {
    expect(await api.err('resources.create', { kind: 'room', name: 'Rum 9' }, ['receptionist'])).toMatchObject({
      code: 'forbidden',
    });
    const [r] = await api.ok('resources.list', {}, ['receptionist']);
    expect(await api.err('resources.update', { id: r!.id, name: 'X' }, ['receptionist'])).toMatchObject({ code: 'forbidden' });
    expect(await api.err('resources.setActive', { id: r!.id, active: false }, ['receptionist'])).toMatchObject({
      code: 'forbidden',
    });
    expect(await api.err('resources.reorder', { ids: [r!.id] }, ['receptionist'])).toMatchObject({ code: 'forbidden' });
    expect((await api.ok('resources.create', { kind: 'equipment', name: 'EKG-vagn' }, ['admin'])).kind).toBe('equipment');
  });
});

describe('resources.setActive', () => {
  it('refuses to deactivate a resource with future bookings, naming how many', async () => {
    const anna = (await api.ok('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
    const booked = api.count(
      `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE s.resource_id = ? AND s.start_at >= ? AND b.status IN ('preliminary','booked','arrived','completed','no_show')`,
      anna.id,
      api.ctx.now(),
    );
    expect(booked).toBeGreaterThan(1);
    const e = await api.err('resources.setActive', { id: anna.id, active: false });
    expect(e).toMatchObject({ code: 'conflict', details: { bookings: booked } });
    expect(e.message).toBe(
      `Anna Lindqvist har ${booked} kommande bokningar. Boka om eller avboka dem först (t.ex. via Frånvaro).`,
    );
    expect((await api.ok('resources.list', {})).some((r) => r.id === anna.id)).toBe(true);
  });

  it('deactivates a resource without bookings: its future slots and templates go with it; activating restores the resource only', async () => {
    const r = await api.ok('resources.create', { kind: 'clinician', name: 'Nils Vik', profession: 'lakare' });
    const change = await api.ok('templates.create', {
      template: {
        resourceId: r.id,
        weekdays: [1, 2, 3, 4, 5],
        validFrom: '2026-11-23',
        startTime: '08:00',
        endTime: '10:00',
        slotMin: 30,
        appointmentTypeIds: [lakbes.id],
        publishWeb: true,
      },
      horizonWeeks: 4,
    });
    expect(change.expansion.created).toBeGreaterThan(0);
    // A slot laid out by hand, far beyond the template's horizon, goes too.
    const manual = await api.ok('slots.create', {
      resourceId: r.id,
      date: '2027-06-01',
      startTime: '15:00',
      endTime: '15:30',
      appointmentTypeIds: [lakbes.id],
    });
    const live = () =>
      api.count(
        `SELECT count(*) AS n FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ?`,
        r.id,
        api.ctx.now(),
      );
    const future = live();
    expect(future).toBeGreaterThan(0);
    const freeOf = () => api.ok('slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-30', resourceId: r.id });
    expect((await freeOf()).length).toBeGreaterThan(0);

    const outboxBefore = api.count(`SELECT count(*) AS n FROM outbox`);
    const done = await api.ok('resources.setActive', { id: r.id, active: false }, ['scheduler']);
    expect(done).toMatchObject({ resource: { id: r.id, active: false }, templatesDeactivated: 1, slotsRemoved: future });
    expect(live()).toBe(0);
    expect(api.count(`SELECT count(*) AS n FROM slots WHERE id = ? AND state = 'removed'`, manual.id)).toBe(1);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'slot' AND entity_id = ?`, manual.id)).toBe(2);
    expect(api.count(`SELECT count(*) AS n FROM schedule_templates WHERE resource_id = ? AND active = 1`, r.id)).toBe(0);
    expect((await api.ok('resources.list', {})).some((x) => x.id === r.id)).toBe(false);
    expect((await api.ok('resources.list', { includeInactive: true })).find((x) => x.id === r.id)?.active).toBe(false);
    expect(await freeOf()).toEqual([]);
    // The resource, its template and its removed slots all reach the central side.
    expect(api.count(`SELECT count(*) AS n FROM outbox`)).toBeGreaterThan(outboxBefore + 1);
    expect(
      api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'resource' AND entity_id = ? AND op = 'update'`, r.id),
    ).toBe(1);
    expect(
      api.count(
        `SELECT count(*) AS n FROM audit_events WHERE entity = 'resource' AND entity_id = ? AND json_extract(detail, '$.active') = 0`,
        r.id,
      ),
    ).toBe(1);
    // Templates may not be laid out for an inactive resource.
    expect(
      await api.err('templates.create', {
        template: {
          resourceId: r.id,
          weekdays: [1],
          validFrom: '2026-11-23',
          startTime: '08:00',
          endTime: '09:00',
          slotMin: 30,
          appointmentTypeIds: [lakbes.id],
        },
      }),
    ).toMatchObject({ code: 'conflict' });

    const back = await api.ok('resources.setActive', { id: r.id, active: true });
    expect(back).toMatchObject({ resource: { active: true }, templatesDeactivated: 0, slotsRemoved: 0 });
    expect(live()).toBe(0);
    // Idempotent: the same state again writes nothing.
    const n = outboxOf(r.id);
    await api.ok('resources.setActive', { id: r.id, active: true });
    expect(outboxOf(r.id)).toBe(n);
  });
});
