// A click that changes nothing writes nothing (issue 3; the desk's repeated clicks): every write
// method of the api that can be asked twice with the same input is called twice on a real SQLite
// file (demo unit, Monday 2026-11-23 09:10), and the second call must leave the book as the first
// left it: no row changed, no version, no outbox row, no access-log change, no change event. A
// repeat may be answered ok (the state asked for holds) or refused (nothing left to do); either
// way nothing is written. Creates are left out: the same input twice is a second patient or entry
// (or refused, which the create tests cover).
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, MethodName } from '../../../src-main/api/contract.ts';
import type { AppointmentType, Booking, Resource, Slot } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

let api: Api;
let foot: AppointmentType;
let serial = 500;
let clinicians = 0;

async function patientId(): Promise<string> {
  serial += 1;
  const p = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1955-08-21', serial),
    givenName: `Pat${serial}`,
    familyName: 'Igensson',
  });
  return p.id;
}
/** A foot-care type of its own, for the cases that change a type. */
const footType = (nameSv: string, nameEn: string): Promise<AppointmentType> =>
  api.ok('appointmentTypes.create', {
    code: `FOT${++serial}`,
    nameSv,
    nameEn,
    durationMin: 20,
    contactModes: ['physical'],
    professions: ['fotterapeut'],
  });
/** A clinician of their own, so each case's times are its own. */
const clinician = (): Promise<Resource> =>
  api.ok('resources.create', { kind: 'clinician', name: `Fotterapeut ${++clinicians}`, profession: 'fotterapeut', title: null });
/** A weekly foot-care template 08–09 on a clinician of its own, from `validFrom` to `validTo`. */
const footTemplate = async (weekday: number, validFrom: string, validTo: string) =>
  api.ok('templates.create', {
    template: {
      resourceId: (await clinician()).id,
      name: 'Fot',
      weekdays: [weekday],
      everyNWeeks: 1,
      validFrom,
      validTo,
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 20,
      appointmentTypeIds: [foot.id],
      publishWeb: false,
      withinCareGuarantee: true,
      skipHolidays: true,
    },
  });
const slot = (r: Resource, date: string, startTime: string, endTime: string): Promise<Slot> =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [foot.id] });
const booked = async (r: Resource, date: string, startTime: string, endTime: string): Promise<Booking> =>
  api.ok('bookings.book', {
    slotId: (await slot(r, date, startTime, endTime)).id,
    patientId: await patientId(),
    appointmentTypeId: foot.id,
  });

/**
 * What a write leaves in the book: rows changed on the connection (SQLite's total_changes, less
 * the access log's read entries a change method may add for the patients it answers with), the
 * access log's other entries, the outbox, and the change events announced.
 */
function footprint() {
  const one = (sql: string) => api.ctx.db.prepare(sql).pluck().get() as number;
  const reads = one(`SELECT count(*) FROM audit_events WHERE action = 'read'`);
  return {
    changes: one(`SELECT total_changes()`) - reads,
    audit: one(`SELECT count(*) FROM audit_events WHERE action <> 'read'`),
    outbox: one(`SELECT count(*) FROM outbox`),
    events: api.events.length,
  };
}

type Case = { [M in MethodName]: [M, () => Promise<InputOf<M>>] }[MethodName];

beforeAll(async () => {
  api = demoApi();
  foot = await api.ok('appointmentTypes.create', {
    code: 'FOTN',
    nameSv: 'Fotvård',
    nameEn: 'Foot care',
    durationMin: 20,
    contactModes: ['physical'],
    professions: ['fotterapeut'],
    cancelCutoffH: 0,
    rebookCutoffH: 0,
    reasonCodes: [{ code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' }],
  });
});

describe('the same write twice: the second writes nothing', () => {
  const cases: [string, Case][] = [
    [
      'appointmentTypes.update, the same colour',
      [
        'appointmentTypes.update',
        async () => ({
          id: (await footType('Fotvård extra', 'Foot care extra')).id,
          colour: '#123456',
        }),
      ],
    ],
    [
      'appointmentTypes.setActive, deactivated twice',
      [
        'appointmentTypes.setActive',
        async () => ({
          id: (await footType('Fotvård gammal', 'Foot care old')).id,
          active: false,
        }),
      ],
    ],
    ['holidays.setRules, julafton closed twice', ['holidays.setRules', () => Promise.resolve({ julafton: true })]],
    [
      'templates.update, the same name',
      [
        'templates.update',
        async () => {
          const t = await footTemplate(2, '2026-11-24', '2026-12-22');
          return { id: t.template.id, changes: { name: 'Fot förmiddag' } };
        },
      ],
    ],
    [
      'templates.deactivate twice',
      [
        'templates.deactivate',
        async () => {
          const t = await footTemplate(3, '2026-11-25', '2026-12-23');
          return { id: t.template.id };
        },
      ],
    ],
    ['templates.setHorizon, the same weeks', ['templates.setHorizon', () => Promise.resolve({ weeks: 13 })]],
    ['templates.expand twice', ['templates.expand', () => Promise.resolve({})]],
    [
      'slots.update, the same web flag',
      [
        'slots.update',
        async () => ({ id: (await slot(await clinician(), '2026-11-26', '10:00', '10:20')).id, webPublished: true }),
      ],
    ],
    [
      'slots.block, the same reason',
      ['slots.block', async () => ({ id: (await slot(await clinician(), '2026-11-26', '10:00', '10:20')).id, reason: 'Möte' })],
    ],
    [
      'slots.unblock twice',
      [
        'slots.unblock',
        async () => {
          const s = await slot(await clinician(), '2026-11-26', '10:00', '10:20');
          await api.ok('slots.block', { id: s.id, reason: 'Möte' });
          return { id: s.id };
        },
      ],
    ],
    [
      'slots.remove twice',
      ['slots.remove', async () => ({ id: (await slot(await clinician(), '2026-11-26', '10:00', '10:20')).id })],
    ],
    [
      'absences.update, the same period and reason',
      [
        'absences.update',
        async () => {
          const r = await clinician();
          await slot(r, '2026-11-27', '10:00', '10:20');
          const a = await api.ok('absences.create', { resourceId: r.id, from: '2026-11-27', to: '2026-11-27', reason: 'Kurs' });
          return { id: a.absence.id, from: '2026-11-27', to: '2026-11-27', reason: 'Kurs' };
        },
      ],
    ],
    [
      'absences.withdraw twice',
      [
        'absences.withdraw',
        async () => {
          const r = await clinician();
          await slot(r, '2026-11-27', '10:00', '10:20');
          return { id: (await api.ok('absences.create', { resourceId: r.id, from: '2026-11-27', to: '2026-11-27' })).absence.id };
        },
      ],
    ],
    [
      'absences.applyRebooking, nothing left to move',
      [
        'absences.applyRebooking',
        async () => {
          const r = await clinician();
          await booked(r, '2026-11-27', '10:00', '10:20');
          await slot(r, '2026-11-30', '10:00', '10:20');
          return { id: (await api.ok('absences.create', { resourceId: r.id, from: '2026-11-27', to: '2026-11-27' })).absence.id };
        },
      ],
    ],
    ['patients.update, the same phone', ['patients.update', async () => ({ id: await patientId(), phone: '070-123 45 67' })]],
    [
      'bookings.mark arrived twice',
      [
        'bookings.mark',
        async () => ({ id: (await booked(await clinician(), '2026-11-23', '15:00', '15:20')).id, status: 'arrived' as const }),
      ],
    ],
    [
      'bookings.setNote, the same note',
      [
        'bookings.setNote',
        async () => ({ id: (await booked(await clinician(), '2026-11-26', '15:00', '15:20')).id, note: 'Rullstol' }),
      ],
    ],
    [
      'bookings.cancel twice',
      [
        'bookings.cancel',
        async () => ({ id: (await booked(await clinician(), '2026-11-26', '15:00', '15:20')).id, reasonCode: 'SJUK' }),
      ],
    ],
    ['auth.setInactivityLock, the same minutes', ['auth.setInactivityLock', () => Promise.resolve({ minutes: 25 })]],
    [
      'users.update, the same name',
      [
        'users.update',
        async () => ({
          id: (
            await api.ok('users.create', {
              username: `anna${++serial}`,
              displayName: 'Anna',
              password: 'ett-langt-losenord',
              roles: ['receptionist'],
            })
          ).id,
          displayName: 'Anna Andersson',
        }),
      ],
    ],
    ['unit.update, the same name', ['unit.update', () => Promise.resolve({ name: 'Vårdcentralen Solbacken, Kvarnby' })]],
    [
      'resources.update, the same title',
      ['resources.update', async () => ({ id: (await clinician()).id, title: 'Leg. fotterapeut' })],
    ],
    [
      'resources.setActive, deactivated twice',
      ['resources.setActive', async () => ({ id: (await clinician()).id, active: false })],
    ],
    [
      'resources.reorder, the same order',
      ['resources.reorder', async () => ({ ids: (await api.ok('resources.list', {})).map((r: Resource) => r.id).reverse() })],
    ],
    [
      'waitlist.update, the same priority',
      [
        'waitlist.update',
        async () => ({
          id: (await api.ok('waitlist.add', { patientId: await patientId(), appointmentTypeId: foot.id })).id,
          priority: 2,
        }),
      ],
    ],
    [
      'waitlist.markOffered, the same time (Erbjud tid)',
      [
        'waitlist.markOffered',
        async () => {
          const s = await slot(await clinician(), '2026-11-24', '13:00', '13:20');
          const e = await api.ok('waitlist.add', { patientId: await patientId(), appointmentTypeId: foot.id });
          return { id: e.id, slotId: s.id };
        },
      ],
    ],
    [
      'waitlist.markWaiting twice',
      [
        'waitlist.markWaiting',
        async () => {
          const s = await slot(await clinician(), '2026-11-24', '13:00', '13:20');
          const e = await api.ok('waitlist.add', { patientId: await patientId(), appointmentTypeId: foot.id });
          await api.ok('waitlist.markOffered', { id: e.id, slotId: s.id });
          return { id: e.id };
        },
      ],
    ],
    [
      'waitlist.withdraw twice',
      [
        'waitlist.withdraw',
        async () => ({ id: (await api.ok('waitlist.add', { patientId: await patientId(), appointmentTypeId: foot.id })).id }),
      ],
    ],
    ['sync.retryFailed with nothing refused', ['sync.retryFailed', () => Promise.resolve({})]],
    [
      'resources.setActive, an active resource activated',
      ['resources.setActive', async () => ({ id: (await clinician()).id, active: true })],
    ],
    [
      'appointmentTypes.setActive, an active type activated',
      ['appointmentTypes.setActive', () => Promise.resolve({ id: foot.id, active: true })],
    ],
    [
      'patients.update, her number typed in its 10-digit form',
      [
        'patients.update',
        async () => {
          const id = await patientId();
          const n = makeIdentityNumber('1955-08-21', serial);
          return { id, identityNumber: `${n.slice(2, 8)}-${n.slice(8)}` };
        },
      ],
    ],
  ];

  it.each(cases)('%s', async (_name, [method, input]) => {
    const given = await input();
    const first = await api.ok(method as MethodName, given as never);
    const after = footprint();
    const again = await (async () => {
      try {
        return { ok: await api.ok(method as MethodName, given as never) };
      } catch (e) {
        return { refused: (e as Error).message };
      }
    })();
    expect(footprint(), `${method} repeated: ${JSON.stringify(again).slice(0, 200)}`).toEqual(after);
    // An accepted repeat answers as the first did (the state asked for), without a newer version.
    if ('ok' in again && first && typeof first === 'object' && 'version' in first) {
      expect((again.ok as { version: unknown }).version).toBe((first as { version: unknown }).version);
    }
  });
});
