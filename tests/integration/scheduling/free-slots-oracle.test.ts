// "Första lediga tid" (slots.findFree, issue 3 item 6) against a brute-force oracle, on random but
// realistic books built through the api on a real SQLite file: clinicians of three professions and
// a room in a random display order, types with random professions, lengths, web flags and booking
// windows, templates and hand-made slots, bookings booked, cancelled and rebooked, blocks,
// removals, absences, times held on återbudslistan, types lengthened, re-professioned or
// deactivated after their slots were laid. The oracle reads the raw tables and applies the
// issue's rules, with its own wall clock (Intl, not domain/time.ts):
// - the slot is open, not inside an active absence of its resource, its resource active;
// - it has no active booking (preliminary, booked, arrived, completed, no-show);
// - it offers the type, is at least as long as the type, and its resource's profession may
//   perform the type (the type's list; empty = anyone); the type is active;
// - it starts after now and at least the type's lead hours after now, and on a Stockholm date no
//   later than today + the type's max days; within [from, to] as Stockholm dates when given;
// - with webOnly: web-published, and the type web-bookable, or invitation-only and `invited`;
// - with a resource or a profession: that one;
// - a time held on återbudslistan is still listed: the hold keeps it from the list's other
//   patients, not from the desk (its booking releases the hold);
// ordered by start, then the resources' display order, then resource id; cut at the limit.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { FreeSlot } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { ACTIVE_BOOKING_STATUSES } from '../../../src-main/store/rows.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { apiAs, startShell, type RunningShell } from '../../helpers/web-shell.ts';
import { demoApi, patientOnWeb, type Api } from './helpers.ts';

const HOUR = 3_600_000;
const stockholmDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const dateOf = (ms: number) => stockholmDate.format(ms);
const plusDays = (date: string, n: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

// "Now": an ordinary Monday morning, the Friday before the spring and the autumn clock changes
// (the windows run over the 23- and 25-hour Sundays), and a late Sunday evening.
const NOWS = ['2026-11-23T09:10:00+01:00', '2026-03-27T14:05:00+01:00', '2026-10-23T16:40:00+02:00', '2026-12-06T22:30:00+01:00'];

const PROFESSIONS = ['lakare', 'sjukskoterska', 'kurator'] as const;
const RESOURCE_SPECS = [
  { name: 'Anna Lind', kind: 'clinician', profession: 'lakare' },
  { name: 'Bo Ek', kind: 'clinician', profession: 'lakare' },
  { name: 'Cecilia Ås', kind: 'clinician', profession: 'sjukskoterska' },
  { name: 'Dan Öberg', kind: 'clinician', profession: 'kurator' },
  { name: 'Provrum', kind: 'room', profession: null },
] as const;

interface TypeSpec {
  professions: string[];
  durationMin: number;
  web: 'none' | 'web' | 'invitation';
  leadH: number;
  maxDays: number;
}
const typeSpec: fc.Arbitrary<TypeSpec> = fc
  .record({
    professions: fc.oneof(fc.constant<string[]>([]), fc.subarray<string>([...PROFESSIONS], { minLength: 1 })),
    durationMin: fc.constantFrom(10, 15, 20, 30),
    web: fc.constantFrom('none' as const, 'web' as const, 'invitation' as const),
    leadH: fc.constantFrom(0, 0, 0, 1, 3, 24, 49),
    maxDays: fc.constantFrom(1, 4, 9, 20, 30, 30),
  })
  .map((t) => ({ ...t, leadH: Math.min(t.leadH, t.maxDays * 24) }));

interface TemplateSpec {
  weekdays: number[];
  start: string;
  end: string;
  slotMin: number;
  typeMask: number;
  web: boolean;
}
const templateSpec: fc.Arbitrary<TemplateSpec> = fc.record({
  weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  start: fc.constantFrom('07:30', '08:00', '08:15'),
  end: fc.constantFrom('09:30', '10:00', '11:45'),
  slotMin: fc.constantFrom(15, 20, 30),
  typeMask: fc.integer({ min: 1, max: 15 }),
  web: fc.boolean(),
});

type Act =
  | { k: 'book'; slot: number; patient: number; type: number; override: boolean }
  | { k: 'cancel'; booking: number }
  | { k: 'rebook'; booking: number; slot: number }
  | { k: 'block'; slot: number }
  | { k: 'unblock'; slot: number }
  | { k: 'remove'; slot: number }
  | { k: 'extra'; resource: number; day: number; minute: number; len: number; typeMask: number; web: boolean }
  | { k: 'absence'; resource: number; day: number; days: number; hours: [number, number] | null }
  | { k: 'hold'; slot: number; patient: number }
  | { k: 'retype'; type: number; durationMin: number | null; professions: string[] | null }
  | { k: 'deactivateType'; type: number }
  | { k: 'deactivateResource'; resource: number };

const act: fc.Arbitrary<Act> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ k: fc.constant('book' as const), slot: fc.nat(400), patient: fc.nat(5), type: fc.nat(3), override: fc.boolean() }) }, // prettier-ignore
  { weight: 6, arbitrary: fc.record({ k: fc.constant('cancel' as const), booking: fc.nat(40) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('rebook' as const), booking: fc.nat(40), slot: fc.nat(400) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('block' as const), slot: fc.nat(400) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('unblock' as const), slot: fc.nat(400) }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('remove' as const), slot: fc.nat(400) }) },
  {
    weight: 9,
    arbitrary: fc.record({
      k: fc.constant('extra' as const),
      resource: fc.nat(4),
      day: fc.integer({ min: 0, max: 22 }),
      minute: fc.integer({ min: 6 * 12, max: 19 * 12 }).map((m) => m * 5),
      len: fc.constantFrom(10, 15, 20, 30, 45, 60),
      typeMask: fc.integer({ min: 1, max: 15 }),
      web: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('absence' as const),
      resource: fc.nat(4),
      day: fc.integer({ min: 0, max: 12 }),
      days: fc.nat(2),
      hours: fc.option(fc.tuple(fc.integer({ min: 7, max: 9 }), fc.integer({ min: 10, max: 12 })), { nil: null }),
    }),
  },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('hold' as const), slot: fc.nat(400), patient: fc.nat(5) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('retype' as const),
      type: fc.nat(3),
      durationMin: fc.option(fc.constantFrom(15, 20, 30, 45), { nil: null }),
      professions: fc.option(fc.subarray([...PROFESSIONS]), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deactivateType' as const), type: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deactivateResource' as const), resource: fc.nat(4) }) },
);

interface Query {
  type: number;
  resource: number | null;
  profession: string | null;
  from: number | null;
  span: number | null;
  webOnly: boolean;
  invited: boolean;
  limit: number | null;
}
const query: fc.Arbitrary<Query> = fc.record({
  type: fc.nat(3),
  // Mostly the whole unit, as the desk asks; sometimes one clinician or one profession.
  resource: fc.constantFrom(null, null, null, 0, 1, 2, 3, 4),
  profession: fc.constantFrom(null, null, null, null, ...PROFESSIONS),
  from: fc.option(fc.integer({ min: -2, max: 8 }), { nil: null, freq: 2 }),
  span: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null, freq: 2 }),
  webOnly: fc.constantFrom(false, false, true),
  invited: fc.boolean(),
  limit: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
});

interface Book {
  api: Api;
  now: number;
  resources: Resource[];
  types: AppointmentType[];
  patients: string[];
}

/** Builds the book through the api; refusals (a rule said no) are part of the randomness. */
async function buildBook(nowIso: string, specs: TypeSpec[], templates: TemplateSpec[], order: number[], acts: Act[]) {
  const now = Date.parse(nowIso);
  const api = demoApi({ demo: false, now });
  await api.ok('unit.create', { hsaId: 'SE2321000016-ORKL', name: 'Oraklets vårdcentral' });
  const resources: Resource[] = [];
  for (const r of RESOURCE_SPECS) resources.push(await api.ok('resources.create', { ...r, kind: r.kind }));
  await api.ok('resources.reorder', { ids: order.map((i) => resources[i]!.id) });
  const types: AppointmentType[] = [];
  for (const [i, t] of specs.entries()) {
    types.push(
      await api.ok('appointmentTypes.create', {
        code: `T${i}`,
        nameSv: `Typ ${i}`,
        nameEn: `Type ${i}`,
        durationMin: t.durationMin,
        contactModes: ['physical', 'phone'],
        professions: t.professions,
        webBookable: t.web === 'web',
        invitationOnly: t.web === 'invitation',
        bookMinLeadH: t.leadH,
        bookMaxDays: t.maxDays,
      }),
    );
  }
  // The types a slot of `min` minutes on resource r may offer (the api refuses the others).
  const fitting = (r: number, mask: number, min: number) =>
    types.filter(
      (t, i) =>
        mask & (1 << i) &&
        t.durationMin <= min &&
        (t.professions.length === 0 || t.professions.includes(RESOURCE_SPECS[r]!.profession ?? '')),
    );
  const today = dateOf(now);
  for (const [r, own] of templates.entries()) {
    // The two doctors keep the same hours and types (as a unit's doctors often do): equal starts
    // in one type list, which the display order must sort.
    const t = r === 1 ? { ...templates[0]!, web: own.web } : own;
    const offered = fitting(r, t.typeMask, t.slotMin);
    if (offered.length === 0) continue;
    await api.ok('templates.create', {
      template: {
        resourceId: resources[r]!.id,
        weekdays: t.weekdays,
        validFrom: plusDays(today, -1),
        startTime: t.start,
        endTime: t.end,
        slotMin: t.slotMin,
        appointmentTypeIds: offered.map((x) => x.id),
        publishWeb: t.web,
      },
      horizonWeeks: 4,
    });
  }
  const patients: string[] = [];
  for (let i = 0; i < 6; i++) {
    const p = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber(`19${60 + i}-0${1 + i}-1${i}`, 700 + i),
      givenName: 'Orakel',
      familyName: `Patient${i}`,
    });
    patients.push(p.id);
  }
  const slotIds = () => api.ctx.db.prepare(`SELECT id FROM slots ORDER BY start_at, resource_id`).pluck().all() as string[];
  // Bookings go mostly where a desk would put them: open, unbooked times from now on.
  const freeSlotIds = () =>
    api.ctx.db
      .prepare(`SELECT id FROM slots WHERE state = 'open' AND booked = 0 AND start_at > ? ORDER BY start_at, resource_id`)
      .pluck()
      .all(now) as string[];
  const bookingIds = () => api.ctx.db.prepare(`SELECT id FROM bookings ORDER BY created_at, id`).pluck().all() as string[];
  const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
  const call = (method: string, input: unknown, roles?: readonly ('receptionist' | 'scheduler' | 'admin')[]) =>
    api.err(method as never, input as never, roles).catch(() => null); // either outcome is fine
  const waitlistFor = new Map<string, string>();
  for (const a of acts) {
    const slot = 'slot' in a ? pick(a.k === 'book' || a.k === 'hold' ? freeSlotIds() : slotIds(), a.slot) : undefined;
    switch (a.k) {
      case 'book': {
        if (!slot) break;
        const offered = JSON.parse(
          api.ctx.db.prepare(`SELECT appointment_type_ids FROM slots WHERE id = ?`).pluck().get(slot) as string,
        ) as string[];
        await call('bookings.book', {
          slotId: slot,
          patientId: patients[a.patient]!,
          appointmentTypeId: pick(offered, a.type)!,
          ...(a.override ? { override: { reason: 'Läkaren bad om det' } } : {}),
        });
        break;
      }
      case 'cancel': {
        const b = pick(bookingIds(), a.booking);
        if (b) await call('bookings.cancel', { id: b, override: { reason: 'Patienten ringde' } });
        break;
      }
      case 'rebook': {
        const b = pick(bookingIds(), a.booking);
        if (b && slot) await call('bookings.rebook', { id: b, slotId: slot, override: { reason: 'Patienten ringde' } });
        break;
      }
      case 'block':
        if (slot) await call('slots.block', { id: slot, reason: 'Möte' });
        break;
      case 'unblock':
        if (slot) await call('slots.unblock', { id: slot });
        break;
      case 'remove':
        if (slot) await call('slots.remove', { id: slot });
        break;
      case 'extra': {
        const min = a.len;
        const offered = fitting(a.resource, a.typeMask, min);
        if (offered.length === 0) break;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        await call('slots.create', {
          resourceId: resources[a.resource]!.id,
          date: plusDays(today, a.day),
          startTime: hhmm(a.minute),
          endTime: hhmm(Math.min(a.minute + min, 23 * 60 + 55)),
          appointmentTypeIds: offered.map((t) => t.id),
          webPublished: a.web,
        });
        break;
      }
      case 'absence':
        await call('absences.create', {
          resourceId: resources[a.resource]!.id,
          from: plusDays(today, a.day),
          to: plusDays(today, a.day + a.days),
          ...(a.hours ? { fromTime: `0${a.hours[0]}:00`.slice(-5), toTime: `${a.hours[1]}:00` } : {}),
          reason: 'Utbildning',
        });
        break;
      case 'hold': {
        if (!slot) break;
        const typeId = (
          JSON.parse(
            api.ctx.db.prepare(`SELECT appointment_type_ids FROM slots WHERE id = ?`).pluck().get(slot) as string,
          ) as string[]
        )[0]!;
        const key = `${patients[a.patient]!}/${typeId}`;
        let entry = waitlistFor.get(key);
        if (!entry) {
          const added = await api
            .ok('waitlist.add', { patientId: patients[a.patient]!, appointmentTypeId: typeId })
            .catch(() => null);
          if (!added) break;
          entry = added.id;
          waitlistFor.set(key, entry);
        }
        await call('waitlist.markOffered', { id: entry, slotId: slot });
        break;
      }
      case 'retype': {
        const t = types[a.type]!;
        await call('appointmentTypes.update', {
          id: t.id,
          ...(a.durationMin ? { durationMin: a.durationMin } : {}),
          ...(a.professions ? { professions: a.professions } : {}),
        });
        break;
      }
      case 'deactivateType':
        await call('appointmentTypes.setActive', { id: types[a.type]!.id, active: false });
        break;
      case 'deactivateResource': // refused while the resource has future bookings
        await call('resources.setActive', { id: resources[a.resource]!.id, active: false });
        break;
    }
  }
  const listed = await api.ok('appointmentTypes.list', { includeInactive: true });
  const current = types.map((t) => listed.find((x) => x.id === t.id)!);
  return { api, now, resources, types: current, patients } satisfies Book;
}

interface SlotRow {
  id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  state: string;
  web_published: number;
  appointment_type_ids: string;
}

/** The brute-force answer from the raw tables and the rules. */
export function oracle(
  book: Book,
  q: {
    typeId: string;
    resourceId?: string;
    profession?: string;
    from?: string;
    to?: string;
    webOnly?: boolean;
    invited?: boolean;
    limit?: number;
  },
): string[] {
  const db = book.api.ctx.db;
  const type = db.prepare(`SELECT * FROM appointment_types WHERE id = ?`).get(q.typeId) as {
    active: number;
    duration_min: number;
    professions: string;
    web_bookable: number;
    invitation_only: number;
    book_min_lead_h: number;
    book_max_days: number;
  };
  const professions = JSON.parse(type.professions) as string[];
  const resources = new Map(
    (
      db.prepare(`SELECT id, profession, active, sort_order FROM resources`).all() as {
        id: string;
        profession: string | null;
        active: number;
        sort_order: number;
      }[]
    ).map((r) => [r.id, r]),
  );
  const booked = new Set(
    db.prepare(`SELECT slot_id FROM bookings WHERE status IN ${ACTIVE_BOOKING_STATUSES}`).pluck().all() as string[],
  );
  const absences = db.prepare(`SELECT resource_id, start_at, end_at FROM absences WHERE state = 'active'`).all() as {
    resource_id: string;
    start_at: number;
    end_at: number;
  }[];
  const now = book.now;
  const lastDay = plusDays(dateOf(now), type.book_max_days);
  const webOk = type.invitation_only ? q.invited === true : type.web_bookable === 1;
  if (!type.active || (q.webOnly && !webOk)) return [];
  const rows = (db.prepare(`SELECT * FROM slots`).all() as SlotRow[]).filter((s) => {
    const r = resources.get(s.resource_id)!;
    const day = dateOf(s.start_at);
    return (
      s.state === 'open' &&
      r.active === 1 &&
      !absences.some((a) => a.resource_id === s.resource_id && a.start_at < s.end_at && s.start_at < a.end_at) &&
      !booked.has(s.id) &&
      (JSON.parse(s.appointment_type_ids) as string[]).includes(q.typeId) &&
      s.end_at - s.start_at >= type.duration_min * 60_000 &&
      (professions.length === 0 || professions.includes(r.profession ?? '')) &&
      s.start_at > now &&
      s.start_at >= now + type.book_min_lead_h * HOUR &&
      day <= lastDay &&
      (!q.from || day >= q.from) &&
      (!q.to || day <= q.to) &&
      (!q.webOnly || s.web_published === 1) &&
      (!q.resourceId || s.resource_id === q.resourceId) &&
      (!q.profession || r.profession === q.profession)
    );
  });
  const key = (s: SlotRow) => resources.get(s.resource_id)!.sort_order;
  rows.sort((a, b) => a.start_at - b.start_at || key(a) - key(b) || (a.resource_id < b.resource_id ? -1 : 1));
  return rows.slice(0, q.limit ?? 10).map((s) => s.id);
}

/** The api's input for a drawn query ("today" is the book's). */
function apiInput(book: Book, q: Query) {
  const from = q.from === null ? undefined : plusDays(dateOf(book.now), q.from);
  const to = q.span === null ? undefined : plusDays(from ?? dateOf(book.now), q.span);
  return {
    appointmentTypeId: book.types[q.type]!.id,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(q.resource !== null ? { resourceId: book.resources[q.resource]!.id } : {}),
    ...(q.profession !== null ? { profession: q.profession } : {}),
    ...(q.webOnly ? { webOnly: true } : {}),
    ...(q.invited ? { invited: true } : {}),
    ...(q.limit !== null ? { limit: q.limit } : {}),
  };
}

const book$ = fc.tuple(
  fc.constantFrom(...NOWS),
  fc.array(typeSpec, { minLength: 4, maxLength: 4 }),
  fc.array(templateSpec, { minLength: 5, maxLength: 5 }),
  fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
  fc.array(act, { minLength: 10, maxLength: 60 }),
);

describe('slots.findFree against a brute-force oracle', () => {
  it('gives exactly the oracle’s slots, in its order, for random books and queries', async () => {
    let compared = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(book$, fc.array(query, { minLength: 20, maxLength: 20 }), async (spec, queries) => {
        const book = await buildBook(...spec);
        try {
          for (const q of queries) {
            const input = apiInput(book, q);
            const { appointmentTypeId, webOnly, invited, ...rest } = input;
            const expected = oracle(book, {
              typeId: appointmentTypeId,
              webOnly: webOnly === true,
              invited: invited === true,
              ...rest,
            });
            const found: FreeSlot[] = await book.api.ok('slots.findFree', input);
            expect(
              found.map((f) => f.slotId),
              JSON.stringify(input),
            ).toEqual(expected);
            compared++;
            if (expected.length) nonEmpty++;
          }
        } finally {
          book.api.ctx.db.close();
        }
      }),
      { numRuns: Number(process.env['ORACLE_RUNS'] ?? 15), ...(process.env['ORACLE_RUNS'] ? {} : { seed: 20261123 }) },
    );
    // The books are not so empty that agreeing is trivial (most queries narrow a lot: one clinician,
    // a web flag, a short window, a profession that does not do the type).
    expect(compared).toBeGreaterThan(0);
    expect(nonEmpty).toBeGreaterThan(compared / 8);
  }, 300_000);

  it('tidbok slots free prints, as JSON and as lines, what the api answers', async () => {
    let lines = 0;
    await fc.assert(
      fc.asyncProperty(book$, fc.array(query, { minLength: 6, maxLength: 6 }), async (spec, queries) => {
        const book = await buildBook(...spec);
        try {
          for (const q of queries) {
            const input = apiInput(book, q);
            const found: FreeSlot[] = await book.api.ok('slots.findFree', input);
            const type = book.types[q.type]!;
            const args = ['slots', 'free', '--db', book.api.path, '--type', type.code.toLowerCase()];
            if (input.from) args.push('--from', input.from);
            if (input.to) args.push('--to', input.to);
            if (input.resourceId) args.push('--resource', book.resources[q.resource!]!.name);
            if (input.profession) args.push('--profession', input.profession);
            if (input.webOnly) args.push('--web');
            if (input.invited && input.webOnly) args.push('--invited'); // the CLI refuses it alone (it means nothing at the desk)
            if (input.limit) args.push('--limit', String(input.limit));
            const now = new Date(book.now).toISOString();
            const json = await runTidbok([...args, '--json'], now);
            expect(json, args.join(' ')).toMatchObject({ code: 0, err: '' });
            expect(JSON.parse(json.out)).toEqual(found);
            const text = await runTidbok(args, now);
            const time = (ms: number) => new Date(ms).toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm' }).slice(0, 5);
            const expected = found.map(
              (f) =>
                `${dateOf(f.startAt)} ${time(f.startAt)}–${time(f.endAt)}  ${f.resourceName}${f.webPublished ? '  (webb)' : ''}`,
            );
            if (found.length) expect(text.out.trimEnd().split('\n')).toEqual(expected);
            else expect(text.out).toMatch(new RegExp(`^(Inga lediga tider för ${type.code}[:.]|${type.code} är inaktiverad)`));
            lines += found.length;
          }
        } finally {
          book.api.ctx.db.close();
        }
      }),
      { numRuns: 4, seed: 4711 },
    );
    expect(lines).toBeGreaterThan(0);
  }, 120_000);
});

describe('the web shell (HTTP api, its own process on the same file)', () => {
  it('answers slots.findFree as the oracle does', async () => {
    const [spec] = fc.sample(book$, { numRuns: 1, seed: 77 });
    const queries = fc.sample(query, { numRuns: 20, seed: 78 });
    const book = await buildBook(...spec!);
    const inputs = queries.map((q) => apiInput(book, q));
    const expected = inputs.map(({ appointmentTypeId, webOnly, invited, ...rest }) =>
      oracle(book, { typeId: appointmentTypeId, webOnly: webOnly === true, invited: invited === true, ...rest }),
    );
    book.api.ctx.db.close();
    const shell = await startShell({
      dbPath: book.api.path,
      demo: false,
      // The shell's clock is the book's; it lays out no further days of the templates meanwhile.
      env: { TIDBOK_NOW: new Date(book.now).toISOString(), TIDBOK_SCHEDULE_HORIZON: 'off' },
    });
    try {
      const call = apiAs(() => shell, 'orakel', 'orakel-losen-2026');
      await post(shell, 'auth.setupAdmin', { username: 'orakel', displayName: 'Orakel', password: 'orakel-losen-2026' });
      for (const [i, input] of inputs.entries()) {
        const found = await call<FreeSlot[]>('slots.findFree', input);
        expect(
          found.map((f) => f.slotId),
          JSON.stringify(input),
        ).toEqual(expected[i]);
      }
      expect(expected.some((e) => e.length > 0)).toBe(true);
    } finally {
      await shell.stop();
    }
  }, 120_000);
});

/** A public method of the web shell (no session), as the first-start screen calls it. */
async function post(shell: RunningShell, method: string, input: unknown): Promise<void> {
  const res = await fetch(`${shell.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
}

describe('the web flags as the web booking rules read them', () => {
  // Central may send a type both web-bookable and invitation-only (the services refuse that mix,
  // sync's pull stores what central says): the web booking rules (checkFit) then ask for an
  // invitation, so the web search must not list its times to a patient without one.
  it.each([
    // [webBookable, invitationOnly, invited, listed on the web]
    [true, false, false, true],
    [true, false, true, true],
    [false, true, false, false],
    [false, true, true, true],
    [false, false, true, false],
    [true, true, false, false],
    [true, true, true, true],
  ])('web-bookable %s, invitation-only %s, invited %s: listed %s', async (webBookable, invitationOnly, invited, listed) => {
    const api = demoApi({ demo: false });
    await api.ok('unit.create', { hsaId: 'SE2321000016-WEBB', name: 'Webbenheten' });
    const nurse = await api.ok('resources.create', { kind: 'clinician', name: 'Sara Sjö', profession: 'sjukskoterska' });
    const type = await api.ok('appointmentTypes.create', {
      code: 'WEBB',
      nameSv: 'Webbtid',
      nameEn: 'Web visit',
      durationMin: 20,
      contactModes: ['physical'],
    });
    api.ctx.db
      .prepare(`UPDATE appointment_types SET web_bookable = ?, invitation_only = ? WHERE id = ?`)
      .run(Number(webBookable), Number(invitationOnly), type.id);
    const slot = await api.ok('slots.create', {
      resourceId: nurse.id,
      date: '2026-11-25',
      startTime: '09:00',
      endTime: '09:20',
      appointmentTypeIds: [type.id],
      webPublished: true,
    });
    const found = await api.ok('slots.findFree', { appointmentTypeId: type.id, webOnly: true, invited });
    expect(found.map((f) => f.slotId)).toEqual(listed ? [slot.id] : []);
    // What the web booking itself says of the same time, as sync's pull would apply it.
    const patient = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1971-05-05', 321),
      givenName: 'Webb',
      familyName: 'Patient',
    });
    const web = await patientOnWeb(api).call('book', {
      slotId: slot.id,
      patientId: patient.id,
      appointmentTypeId: type.id,
      invited,
    });
    expect(web.ok).toBe(listed);
  });
});

describe('the edges of the booking window, as bookings.book draws them', () => {
  // A time is listed exactly when a desk booking without override is accepted: lead hours are real
  // hours (over the spring night too), max days are whole Stockholm days (the 25-hour autumn
  // Sunday included), and a time that has begun is never free.
  it.each([
    // [now, lead hours, max days, [date, start, end, listed]...]
    [
      '2026-03-27T14:05:00+01:00',
      48,
      30,
      [
        ['2026-03-29', '14:05', '14:15', false], // 47 real hours: the clock skipped one
        ['2026-03-29', '15:00', '15:10', false],
        ['2026-03-29', '15:05', '15:15', true], // exactly 48 h
        ['2026-03-29', '15:10', '15:20', true],
      ],
    ],
    [
      '2026-10-23T16:40:00+02:00',
      0,
      2,
      [
        ['2026-10-23', '16:30', '16:40', false], // ended
        ['2026-10-23', '16:40', '16:50', false], // begins now
        ['2026-10-23', '16:45', '16:55', true],
        ['2026-10-25', '23:50', '23:59', true], // the last day, 25 hours long
        ['2026-10-26', '00:00', '00:10', false],
      ],
    ],
    [
      '2026-12-06T22:30:00+01:00',
      1,
      1,
      [
        ['2026-12-06', '23:25', '23:35', false], // 55 minutes ahead
        ['2026-12-06', '23:30', '23:40', true],
        ['2026-12-07', '23:45', '23:55', true],
        ['2026-12-08', '07:00', '07:10', false],
      ],
    ],
  ] as [string, number, number, [string, string, string, boolean][]][])(
    'now %s, lead %i h, %i days ahead',
    async (now, lead, maxDays, times) => {
      const api = demoApi({ demo: false, now: Date.parse(now) });
      await api.ok('unit.create', { hsaId: 'SE2321000016-KANT', name: 'Kantenheten' });
      const type = await api.ok('appointmentTypes.create', {
        code: 'KANT',
        nameSv: 'Kantbesök',
        nameEn: 'Edge visit',
        durationMin: 9,
        contactModes: ['physical'],
        bookMinLeadH: lead,
        bookMaxDays: maxDays,
      });
      const slots = [];
      // One clinician per time (some overlap), in display order as listed: ties are none.
      for (const [i, [date, startTime, endTime]] of times.entries()) {
        const doc = await api.ok('resources.create', { kind: 'clinician', name: `Karin Kant ${i}`, profession: 'lakare' });
        slots.push(await api.ok('slots.create', { resourceId: doc.id, date, startTime, endTime, appointmentTypeIds: [type.id] }));
      }
      const found = await api.ok('slots.findFree', { appointmentTypeId: type.id, limit: 50 });
      expect(found.map((f) => f.slotId)).toEqual(slots.filter((_, i) => times[i]![3]).map((s) => s.id));
      const p = await api.ok('patients.create', {
        identityNumber: makeIdentityNumber('1980-02-02', 555),
        givenName: 'Kant',
        familyName: 'Fall',
      });
      for (const [i, s] of slots.entries()) {
        const r = await api.err('bookings.book', { slotId: s.id, patientId: p.id, appointmentTypeId: type.id }).catch(() => null);
        // Refused (a rule) exactly when not listed; a booked one is cancelled to leave the patient free.
        expect(r === null, `${times[i]!.slice(0, 2).join(' ')}: ${r?.message ?? 'booked'}`).toBe(times[i]![3]);
        if (r === null) {
          const b = api.ctx.db
            .prepare(`SELECT id FROM bookings WHERE slot_id = ? AND status = 'booked'`)
            .pluck()
            .get(s.id) as string;
          await api.ok('bookings.cancel', { id: b, override: { reason: 'Bara ett prov' } });
        }
      }
    },
  );
});
