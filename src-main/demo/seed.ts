// The demo unit: Vårdcentralen Solbacken, six clinicians and a sampling room, realistic Swedish
// appointment types, two weeks of slots from the Monday of the current week and a plausible
// set of bookings from desk, phone and web, and the ten weeks before as the book then looked
// (seed-history.ts: for Statistik). Deterministic for a given `today` (seeded PRNG).
// Identity numbers are synthetic: valid dates and check digits, serials 980–999.
import type { ServiceContext } from '../services/context.ts';
import { seededRandom } from './prng.ts';
import { demoIds } from './ids.ts';
import { seedDemoLists } from './seed-lists.ts';
import { DEMO_HISTORY_WEEKS, seedDemoHistory, type HistoryTemplate, type HistoryType } from './seed-history.ts';
import { addDays, localDate, startOfIsoWeek, wallClockToInstant } from '../domain/time.ts';
import { expandTemplate, type TemplateSpec } from '../domain/templates.ts';
import { FAMILY, GIVEN, PatientTimes, insertDrawnPatients, insertListedPatients } from './patients.ts';
import { hashPassword } from '../services/passwords.ts';
import type { ContactMode, Role } from '../api/types.ts';

/**
 * When a demo booking was made, 1–20 days before its time (from one random number, so the rest of
 * the demo stays as it was): a patient books on 1177 at any hour, the desk and the phone answer in
 * office hours (weekdays 08:00–16:30).
 */
function bookedAt(startAt: number, channel: 'web' | 'phone' | 'desk', u: number, tz: string): number {
  const daysBefore = 1 + u * 20;
  if (channel === 'web') return startAt - Math.floor(daysBefore * 86_400_000);
  let date = localDate(startAt - Math.floor(daysBefore) * 86_400_000, tz);
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) date = addDays(date, weekday === 0 ? -2 : -1); // the Friday before
  return wallClockToInstant(date, 8 * 60 + Math.floor((daysBefore % 1) * 510), tz);
}

export const DEMO_UNIT_HSA_ID = 'SE2321000016-7SOL';
export const DEMO_USERS: readonly { username: string; password: string; displayName: string; roles: Role[] }[] = [
  { username: 'reception', password: 'demo-reception', displayName: 'Karin Reception', roles: ['receptionist'] },
  { username: 'schema', password: 'demo-schema', displayName: 'Per Schemaläggare', roles: ['scheduler', 'receptionist'] },
  { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin', roles: ['admin', 'scheduler', 'receptionist'] },
];

interface TypeSeed {
  code: string;
  sv: string;
  en: string;
  min: number;
  modes: ContactMode[];
  professions: string[];
  web: boolean;
  invitation?: boolean;
  colour: string;
}

const TYPES: TypeSeed[] = [
  {
    code: 'LAKBES',
    sv: 'Läkarbesök',
    en: 'Doctor visit',
    min: 30,
    modes: ['physical'],
    professions: ['lakare'],
    web: true,
    colour: '#2f6db3',
  },
  {
    code: 'LAKVID',
    sv: 'Videobesök läkare',
    en: 'Video visit, doctor',
    min: 15,
    modes: ['video'],
    professions: ['lakare'],
    web: true,
    colour: '#5b4fb0',
  },
  {
    code: 'TELE',
    sv: 'Telefontid',
    en: 'Phone appointment',
    min: 15,
    modes: ['phone'],
    professions: ['lakare', 'sjukskoterska'],
    web: false,
    colour: '#6b7785',
  },
  {
    code: 'VACC',
    sv: 'Vaccination',
    en: 'Vaccination',
    min: 15,
    modes: ['physical'],
    professions: ['sjukskoterska'],
    web: true,
    colour: '#1f8a5b',
  },
  {
    code: 'BLODTR',
    sv: 'Blodtryckskontroll',
    en: 'Blood pressure check',
    min: 15,
    modes: ['physical'],
    professions: ['sjukskoterska'],
    web: true,
    colour: '#3f8f8f',
  },
  {
    code: 'DIAB',
    sv: 'Diabetesmottagning',
    en: 'Diabetes clinic',
    min: 30,
    modes: ['physical', 'video'],
    professions: ['sjukskoterska'],
    web: false,
    invitation: true,
    colour: '#b5651d',
  },
  {
    code: 'ASTMA',
    sv: 'Astma/KOL-mottagning',
    en: 'Asthma/COPD clinic',
    min: 30,
    modes: ['physical'],
    professions: ['sjukskoterska'],
    web: false,
    invitation: true,
    colour: '#a0522d',
  },
  {
    code: 'FYSIO',
    sv: 'Fysioterapi',
    en: 'Physiotherapy',
    min: 45,
    modes: ['physical', 'video'],
    professions: ['fysioterapeut'],
    web: true,
    colour: '#8a6d1f',
  },
  {
    code: 'SAMT',
    sv: 'Samtalsbehandling',
    en: 'Counselling',
    min: 45,
    modes: ['physical', 'video'],
    professions: ['psykolog'],
    web: false,
    invitation: true,
    colour: '#9c3f6b',
  },
  {
    code: 'PROV',
    sv: 'Provtagning',
    en: 'Blood sample',
    min: 10,
    modes: ['physical'],
    professions: [],
    web: true,
    colour: '#c0392b',
  },
];

interface ResourceSeed {
  key: string;
  kind: 'clinician' | 'room';
  name: string;
  profession: string | null;
  title: string | null;
  templates: (Omit<TemplateSpec, 'validFrom' | 'validTo' | 'everyNWeeks' | 'skipHolidays'> & { types: string[]; web: boolean })[];
}

const WEEK = [1, 2, 3, 4, 5];
const RESOURCES: ResourceSeed[] = [
  {
    key: 'anna',
    kind: 'clinician',
    name: 'Anna Lindqvist',
    profession: 'lakare',
    title: 'Distriktsläkare',
    templates: [
      { weekdays: WEEK, startTime: '08:00', endTime: '12:00', slotMin: 30, types: ['LAKBES'], web: true },
      { weekdays: WEEK, startTime: '13:00', endTime: '15:00', slotMin: 15, types: ['TELE', 'LAKVID'], web: false },
    ],
  },
  {
    key: 'erik',
    kind: 'clinician',
    name: 'Erik Johansson',
    profession: 'lakare',
    title: 'ST-läkare',
    templates: [
      { weekdays: [1, 2, 3, 4], startTime: '08:30', endTime: '12:00', slotMin: 30, types: ['LAKBES'], web: false },
      { weekdays: [1, 2, 3, 4], startTime: '13:00', endTime: '16:00', slotMin: 30, types: ['LAKBES', 'LAKVID'], web: true },
    ],
  },
  {
    key: 'maria',
    kind: 'clinician',
    name: 'Maria Berg',
    profession: 'sjukskoterska',
    title: 'Distriktssköterska',
    templates: [
      { weekdays: WEEK, startTime: '08:00', endTime: '12:00', slotMin: 15, types: ['VACC', 'BLODTR'], web: true },
      { weekdays: WEEK, startTime: '13:00', endTime: '16:00', slotMin: 30, types: ['DIAB', 'ASTMA'], web: false },
    ],
  },
  {
    key: 'sara',
    kind: 'clinician',
    name: 'Sara Nyström',
    profession: 'sjukskoterska',
    title: 'Sjuksköterska',
    templates: [
      { weekdays: [1, 3, 5], startTime: '08:00', endTime: '11:45', slotMin: 15, types: ['VACC', 'BLODTR', 'TELE'], web: true },
    ],
  },
  {
    key: 'johan',
    kind: 'clinician',
    name: 'Johan Ek',
    profession: 'fysioterapeut',
    title: 'Fysioterapeut',
    templates: [
      { weekdays: WEEK, startTime: '08:00', endTime: '11:45', slotMin: 45, types: ['FYSIO'], web: true },
      { weekdays: WEEK, startTime: '13:00', endTime: '16:00', slotMin: 45, types: ['FYSIO'], web: false },
    ],
  },
  {
    key: 'lena',
    kind: 'clinician',
    name: 'Lena Holm',
    profession: 'psykolog',
    title: 'Psykolog',
    templates: [{ weekdays: [2, 3, 4], startTime: '09:00', endTime: '15:00', slotMin: 45, types: ['SAMT'], web: false }],
  },
  {
    key: 'prov',
    kind: 'room',
    name: 'Provtagningsrum 1',
    profession: null,
    title: null,
    templates: [{ weekdays: WEEK, startTime: '07:30', endTime: '10:00', slotMin: 10, types: ['PROV'], web: true }],
  },
];

export interface SeedSummary {
  unitId: string;
  resources: number;
  appointmentTypes: number;
  /** Slots and bookings from `from` (the current week's Monday) to `to`. */
  slots: number;
  /** The patients holding times in the current weeks. */
  patients: number;
  /** The unit's other listed patients, seen in the weeks before only. */
  listedPatients: number;
  bookings: number;
  from: string;
  to: string;
  /** The weeks before `from`: since when, and their slots and bookings (cancelled and moved ones too). */
  history: { since: string; slots: number; bookings: number };
}

/** The database got a unit first (another process seeding the same new file at the same moment). */
export class AlreadySeeded extends Error {
  override name = 'AlreadySeeded';
}

export function hasAnyUnit(ctx: ServiceContext): boolean {
  return ctx.db.prepare(`SELECT 1 FROM units LIMIT 1`).get() !== undefined;
}

/** Seeds the demo unit into an empty database, in one transaction. */
export function seedDemo(ctx: ServiceContext, options: { seed?: number } = {}): SeedSummary {
  const { db } = ctx;
  const tz = 'Europe/Stockholm';
  const now = ctx.now();
  const today = localDate(now, tz);
  const rand = seededRandom(options.seed ?? 20_260_101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const by = 'demo';
  // The same ids on every workstation seeded the same day: two demo desks are one unit on a central.
  ctx = { ...ctx, newId: demoIds(options.seed ?? 20_260_101, today) };

  // Immediate: the unit check below runs under the write lock, so two processes starting on one
  // new file seed it once (the other finds the unit) instead of one failing with SQLITE_BUSY.
  return db
    .transaction((): SeedSummary => {
      if (hasAnyUnit(ctx))
        throw new AlreadySeeded('The database already holds a unit; the demo is only seeded into an empty database.');
      const unitId = ctx.newId();
      db.prepare(`INSERT INTO units (id, hsa_id, name, time_zone, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)`).run(
        unitId,
        DEMO_UNIT_HSA_ID,
        'Vårdcentralen Solbacken',
        tz,
        now,
        by,
      );
      db.prepare(`INSERT INTO settings (key, value) VALUES ('current_unit', ?)`).run(JSON.stringify(unitId));
      // Marks the demo unit: its printed address signs in as the demo receptionist by itself.
      db.prepare(`INSERT INTO settings (key, value) VALUES ('demo', 'true')`).run();

      const typeIds = new Map<string, string>();
      const insType = db.prepare(
        `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable,
         invitation_only, web_cancellable, web_rebookable, cancel_cutoff_h, rebook_cutoff_h, reason_cancel, reason_codes,
         book_min_lead_h, book_max_days, colour, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 24, 24, ?, ?, ?, 90, ?, ?, ?)`,
      );
      const cancelReasons = JSON.stringify([
        { code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Patient is ill' },
        { code: 'KAN_EJ', textSv: 'Patienten kan inte komma', textEn: 'Patient cannot come' },
        { code: 'VARDEN', textSv: 'Vården ställer in', textEn: 'Cancelled by the unit' },
      ]);
      for (const t of TYPES) {
        const id = ctx.newId();
        typeIds.set(t.code, id);
        insType.run(
          id,
          unitId,
          t.code,
          t.sv,
          t.en,
          t.min,
          JSON.stringify(t.modes),
          JSON.stringify(t.professions),
          t.web ? 1 : 0,
          t.invitation ? 1 : 0,
          t.web || t.invitation ? 1 : 0,
          t.web ? 1 : 0,
          'optional',
          cancelReasons,
          t.web ? 2 : 0,
          t.colour,
          now,
          by,
        );
      }

      const from = startOfIsoWeek(today);
      const to = addDays(today, 15) > addDays(from, 14) ? addDays(today, 15) : addDays(from, 14);
      // The templates have run for the weeks of the demo's history too.
      const since = addDays(from, -7 * DEMO_HISTORY_WEEKS);
      const history: HistoryTemplate[] = [];
      const insRes = db.prepare(
        `INSERT INTO resources (id, unit_id, kind, name, profession, title, sort_order, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insTpl = db.prepare(
        `INSERT INTO schedule_templates (id, resource_id, name, weekdays, every_n_weeks, valid_from, valid_to, start_time, end_time,
         slot_min, appointment_type_ids, publish_web, updated_at, updated_by)
       VALUES (?, ?, ?, ?, 1, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insSlot = db.prepare(
        `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, web_published, template_id, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const slots: { id: string; startAt: number; endAt: number; types: string[] }[] = [];
      const resourceIds = new Map<string, string>();
      RESOURCES.forEach((r, i) => {
        const resourceId = ctx.newId();
        resourceIds.set(r.key, resourceId);
        insRes.run(resourceId, unitId, r.kind, r.name, r.profession, r.title, i, now, by);
        for (const t of r.templates) {
          const templateId = ctx.newId();
          const ids = t.types.map((c) => typeIds.get(c)!);
          insTpl.run(
            templateId,
            resourceId,
            `${t.startTime}–${t.endTime}`,
            JSON.stringify(t.weekdays),
            since,
            t.startTime,
            t.endTime,
            t.slotMin,
            JSON.stringify(ids),
            t.web ? 1 : 0,
            now,
            by,
          );
          const spec: TemplateSpec = { ...t, everyNWeeks: 1, validFrom: from, validTo: null, skipHolidays: true };
          history.push({
            id: templateId,
            resourceId,
            resourceKey: r.key,
            spec: { ...spec, validFrom: since },
            typeIds: ids,
            web: t.web,
          });
          for (const s of expandTemplate(spec, from, to, tz, {}).slots) {
            const slotId = ctx.newId();
            insSlot.run(slotId, resourceId, s.startAt, s.endAt, JSON.stringify(ids), t.web ? 1 : 0, templateId, now, by);
            slots.push({ id: slotId, startAt: s.startAt, endAt: s.endAt, types: ids });
          }
        }
      });

      // The people holding times in the current weeks (the main random numbers, as before).
      const usedNumbers = new Set<string>();
      const patientIds = insertDrawnPatients(db, ctx, {
        rand,
        count: 140,
        firstYear: 1935,
        years: 85,
        given: GIVEN,
        family: FAMILY,
        serial: (i) => 980 + (i % 20),
        samordning: (i) => i === 7,
        protectedIdentity: (i) => i === 3 || i === 41,
        numbers: usedNumbers,
        now,
        by,
      });

      const typeById = new Map(TYPES.map((t) => [typeIds.get(t.code)!, t]));
      const insBooking = db.prepare(
        `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, cancel_reason_code, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const notes = [
        '',
        '',
        '',
        '',
        'Tolk behövs (arabiska)',
        'Uppföljning efter provsvar',
        'Har hörapparat',
        'Önskar kvinnlig läkare',
        'Ring 30 min innan',
      ];
      // A patient is never in two places at once (the desk's rule `patient_busy`): a drawn patient
      // already booked then gives the time to the next one in the list who is free. No extra
      // draw, so every other booking of the demo stays as it was.
      const busy = new PatientTimes();
      const freeAt = (drawn: string, startAt: number, endAt: number): string => {
        const first = patientIds.indexOf(drawn);
        for (let k = 0; k < patientIds.length; k++) {
          const id = patientIds[(first + k) % patientIds.length]!;
          if (busy.take(id, startAt, endAt)) return id;
        }
        return drawn;
      };
      let bookings = 0;
      for (const s of slots) {
        const dayOffset = Math.round((s.startAt - wallClockToInstant(today, 0, tz)) / 86_400_000);
        const fill = dayOffset < 0 ? 0.85 : dayOffset < 3 ? 0.75 : dayOffset < 8 ? 0.5 : 0.25;
        if (rand() > fill) continue;
        const typeId = pick(s.types);
        const type = typeById.get(typeId)!;
        const r = rand();
        const channel = type.web && r < 0.4 ? 'web' : r < 0.8 ? 'phone' : 'desk';
        const isPast = s.startAt + 30 * 60_000 < now;
        const status = isPast
          ? rand() < 0.05
            ? 'no_show'
            : localDate(s.startAt, tz) === today
              ? 'arrived'
              : 'completed'
          : 'booked';
        const createdAt = bookedAt(s.startAt, channel, rand(), tz);
        // A few cancelled bookings in the history (the slot was then rebooked by someone else or left free).
        if (rand() < 0.06) {
          insBooking.run(
            ctx.newId(),
            s.id,
            pick(patientIds),
            typeId,
            type.modes[0]!,
            'cancelled',
            channel,
            '',
            'KAN_EJ',
            // Made and cancelled by now: a booking made later (a future time) is capped as below.
            Math.min(createdAt - 86_400_000, now),
            by,
            Math.min(createdAt, now),
            by,
          );
          if (rand() < 0.5) continue;
        }
        insBooking.run(
          ctx.newId(),
          s.id,
          freeAt(pick(patientIds), s.startAt, s.endAt),
          typeId,
          pick(type.modes),
          status,
          channel,
          pick(notes),
          null,
          Math.min(createdAt, now),
          channel === 'web' ? 'web' : by,
          now,
          by,
        );
        bookings++;
      }

      const insUser = db.prepare(
        `INSERT INTO users (id, unit_id, username, display_name, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const u of DEMO_USERS) {
        insUser.run(ctx.newId(), unitId, u.username, u.displayName, hashPassword(u.password), JSON.stringify(u.roles), now, now);
      }
      // Återbudslistan and Frånvaro with something on them (last: the ids above stay as they were).
      seedDemoLists(ctx, { seed: options.seed ?? 20_260_101, today, tz, resourceIds, typeIds, patientIds, by });
      // The unit's other listed patients, who came in the weeks before only (their own numbers, after the ids above).
      const listedPatientIds = insertListedPatients(db, ctx, {
        seed: options.seed ?? 20_260_101,
        today,
        numbers: usedNumbers,
        now,
        by,
      });
      // The weeks before: last too, with random numbers of their own.
      const historyTypes = new Map<string, HistoryType>(
        TYPES.map((t) => [typeIds.get(t.code)!, { modes: t.modes, web: t.web, webCancellable: t.web || !!t.invitation }]),
      );
      const past = seedDemoHistory(ctx, {
        seed: options.seed ?? 20_260_101,
        since,
        until: from,
        tz,
        templates: history,
        types: historyTypes,
        patientIds,
        listedPatientIds,
        bookedAt: (startAt, channel, u) => bookedAt(startAt, channel, u, tz),
        by,
      });

      return {
        unitId,
        resources: RESOURCES.length,
        appointmentTypes: TYPES.length,
        slots: slots.length,
        patients: patientIds.length,
        listedPatients: listedPatientIds.length,
        bookings,
        from,
        to,
        history: { since, ...past },
      };
    })
    .immediate();
}
