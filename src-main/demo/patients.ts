// The demo's patients: who they are (names, identity numbers, phones) and how many. Two groups:
// the people holding times in the current weeks (drawn with the demo's main random numbers, so
// the calendar's tests and screens keep knowing them) and the unit's other listed patients, who
// came in the past weeks only (their own random numbers, drawn last). A vårdcentral of this size
// lists thousands; a handful of patients with dozens of visits each read as no real book does.
import type { Database } from 'better-sqlite3';
import { makeIdentityNumber } from '../domain/personnummer.ts';
import type { ServiceContext } from '../services/context.ts';
import { seededRandom } from './prng.ts';

/** The current weeks' patients' names (changing these lists changes who holds which time). */
export const GIVEN = [
  'Astrid',
  'Bengt',
  'Cecilia',
  'David',
  'Elin',
  'Fredrik',
  'Greta',
  'Hassan',
  'Ingrid',
  'Jonas',
  'Karin',
  'Lars',
  'Maja',
  'Nils',
  'Olivia',
  'Patrik',
  'Rut',
  'Sven',
  'Tove',
  'Ulf',
  'Vera',
  'Wilhelm',
  'Yusuf',
  'Åsa',
  'Öjvind',
  'Leila',
  'Mohammed',
  'Sofia',
  'Emil',
  'Alva',
];
export const FAMILY = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Jansson',
  'Hansson',
  'Bengtsson',
  'Jönsson',
  'Lindberg',
  'Jakobsson',
  'Magnusson',
  'Lindström',
  'Ali',
  'Öberg',
  'Åberg',
  'Hussein',
  'Sandberg',
];

/** Each patient's active times, so the demo never books one person into two at once (the desk's rule `patient_busy`). */
export class PatientTimes {
  private readonly times = new Map<string, [number, number][]>();

  /** Books `patientId` for [startAt, endAt) if she is free then; false if she already has a time. */
  take(patientId: string, startAt: number, endAt: number): boolean {
    const times = this.times.get(patientId) ?? [];
    if (times.some(([s, e]) => s < endAt && startAt < e)) return false;
    this.times.set(patientId, [...times, [startAt, endAt]]);
    return true;
  }
}

/** More names for the listed patients (common Swedish first and last names, and the unit's neighbourhood's). */
const MORE_GIVEN = [
  'Anna',
  'Erik',
  'Maria',
  'Karl',
  'Eva',
  'Johan',
  'Kerstin',
  'Anders',
  'Lena',
  'Per',
  'Birgitta',
  'Mikael',
  'Ebba',
  'Oscar',
  'Wilma',
  'Hugo',
  'Saga',
  'Liam',
  'Elsa',
  'Noah',
  'Amina',
  'Omar',
  'Fatima',
  'Ahmed',
  'Ida',
  'Viktor',
  'Linnea',
  'Gustav',
  'Ella',
  'Arvid',
];
const MORE_FAMILY = [
  'Lindqvist',
  'Axelsson',
  'Berglund',
  'Fredriksson',
  'Sundberg',
  'Mohamed',
  'Holm',
  'Nyström',
  'Lundgren',
  'Sjöberg',
  'Wallin',
  'Engström',
  'Danielsson',
  'Lundqvist',
  'Håkansson',
  'Björk',
  'Berg',
  'Isaksson',
  'Forsberg',
  'Nordström',
  'Ahmadi',
  'Nguyen',
  'Lindgren',
  'Ekström',
  'Söderberg',
];

/**
 * A mobile number from the series the Swedish Post and Telecom Authority (PTS) sets aside for
 * fiction and examples, 070-174 06 05 … 070-174 06 99: a demo's reminder or a copied number never
 * reaches a real person (random 07x numbers would). One draw, as the demo always used.
 */
export function fictionalMobile(u: number): string {
  return `0701740${605 + Math.floor(u * 95)}`;
}

/** The listed patients who hold no time in the current weeks: the past weeks' visits are spread over them too. */
export const DEMO_LISTED_PATIENTS = 1_800;

/**
 * Inserts `count` patients drawn from `rand` (fewer if a number repeats: it is skipped, as a
 * desk would refuse it). The order of draws is part of the demo: birth date, then (if the
 * number is new) first name, last name and phone, so the same seed gives the same people.
 */
export function insertDrawnPatients(
  db: Database,
  ctx: ServiceContext,
  o: {
    rand: () => number;
    count: number;
    /** Birth years drawn from `firstYear` on, `years` of them. */
    firstYear: number;
    years: number;
    given: readonly string[];
    family: readonly string[];
    serial: (i: number) => number;
    samordning: (i: number) => boolean;
    protectedIdentity: (i: number) => boolean;
    /** Every identity number used so far: a repeat is skipped, and the new ones are added. */
    numbers: Set<string>;
    now: number;
    by: string;
  },
): string[] {
  const { rand } = o;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const insPatient = db.prepare(
    `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, phone, protected_identity, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const year = o.firstYear + Math.floor(rand() * o.years);
    const birth = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const samordning = o.samordning(i);
    const number = makeIdentityNumber(birth, o.serial(i), samordning);
    if (o.numbers.has(number)) continue;
    o.numbers.add(number);
    const id = ctx.newId();
    ids.push(id);
    insPatient.run(
      id,
      number,
      samordning ? 'samordningsnummer' : 'personnummer',
      pick(o.given),
      pick(o.family),
      fictionalMobile(rand()),
      o.protectedIdentity(i) ? 1 : 0,
      o.now,
      o.by,
    );
  }
  return ids;
}

/**
 * The unit's other listed patients (DEMO_LISTED_PATIENTS): all ages up to 95, babies born last
 * year too, ~1.5 % with a samordningsnummer and ~0.2 % with protected identity.
 */
export function insertListedPatients(
  db: Database,
  ctx: ServiceContext,
  o: { seed: number; today: string; numbers: Set<string>; now: number; by: string },
): string[] {
  const rand = seededRandom(o.seed + 3);
  const flags = Array.from({ length: DEMO_LISTED_PATIENTS }, () => ({ samordning: rand() < 0.015, protected: rand() < 0.002 }));
  const thisYear = Number(o.today.slice(0, 4));
  return insertDrawnPatients(db, ctx, {
    rand,
    count: DEMO_LISTED_PATIENTS,
    firstYear: thisYear - 95,
    // Up to last year: a day drawn later this year could be a birth in the future.
    years: 95,
    given: [...GIVEN, ...MORE_GIVEN],
    family: [...FAMILY, ...MORE_FAMILY],
    // Serials 250–269, apart from the 980–999 of the current weeks' patients and of the numbers
    // tests register beside the demo (a listed patient holding one would refuse that test's patient).
    serial: (i) => 250 + (i % 20),
    samordning: (i) => flags[i]!.samordning,
    protectedIdentity: (i) => flags[i]!.protected,
    numbers: o.numbers,
    now: o.now,
    by: o.by,
  });
}
